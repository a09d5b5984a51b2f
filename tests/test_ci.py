"""CI's entry point: ``.ci/run`` sets the environment the suite relies on, then runs ``make test``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_run_sets_ci_itself_so_the_shared_data_tests_cannot_skip(tmp_path):
    """A stand-in ``make`` first on PATH reports the environment ``.ci/run`` gives it, with CI
    unset by the caller (a runner that does not set it): with ../shared/data beside the clone,
    CI=1, so its tests run and a missing file fails them."""
    fake = tmp_path / "make"
    fake.write_text('#!/usr/bin/env bash\necho "args=$* CI=${CI:-} HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-}"\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if (ROOT.parent / "shared" / "data").is_dir():  # as CI lays the clone out
        assert result.stdout.strip() == "args=test CI=1 HF_HUB_OFFLINE=1"
    else:  # a clone on its own (a user's): the real-data tests skip, and .ci/run says so
        assert result.stdout.strip() == "args=test CI= HF_HUB_OFFLINE=1"
        assert "no ../shared/data beside this clone" in result.stderr
