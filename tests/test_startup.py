"""The fast-start promise: the CLI answers --help, `configs` and a bad --config before any heavy
library loads. Checked in a fresh interpreter, because this test session has imported them all."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "transformers", "datasets", "sentence_transformers", "ctranslate2", "scipy")

_PROBE = """
import json, sys
from click.testing import CliRunner
from summarizer.cli import main
runner = CliRunner()
results = [runner.invoke(main, args).exit_code for args in (["--help"], ["configs"], ["run", "x", "--config", "no-such-config"])]
print(json.dumps({"exit_codes": results, "loaded": sorted(m for m in %r if m in sys.modules)}))
"""


def test_cli_commands_that_do_no_work_import_no_heavy_library():
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE % (HEAVY,)], cwd=ROOT, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT)}
    )
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    assert report["exit_codes"] == [0, 0, 2]
    assert report["loaded"] == []


_RUN_PROBE = """
import json, sys
from click.testing import CliRunner
from summarizer.cli import main
result = CliRunner().invoke(main, ["run", %r, "--config", "extractive", "--output", %r, "-q"])
print(json.dumps({"exit_code": result.exit_code, "loaded": sorted(m for m in ("sklearn", "nltk") if m in sys.modules)}))
"""


def test_an_extractive_run_without_a_feed_imports_neither_scikit_learn_nor_nltk(tmp_path):
    """Each was a second or more of start-up: the stories' vectorizer and the English stop words
    (scikit-learn), the Porter stemmer (NLTK)."""
    probe = subprocess.run(
        [sys.executable, "-c", _RUN_PROBE % (str(ROOT / "examples" / "kabul-2021"), str(tmp_path / "out"))],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"},
    )
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    assert report == {"exit_code": 0, "loaded": []}
