"""CI's entry point: ``.ci/run`` sets the environment the suite relies on, then runs ``make test``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_run_sets_ci_itself_so_the_shared_data_tests_cannot_skip(tmp_path):
    """A stand-in ``make`` first on PATH reports the environment ``.ci/run`` gives it, with CI
    unset by the caller (a runner that does not set it)."""
    fake = tmp_path / "make"
    fake.write_text('#!/usr/bin/env bash\necho "args=$* CI=${CI:-} HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-}"\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "args=test CI=1 HF_HUB_OFFLINE=1"
