"""Every shipped config runs as shipped: its own settings (cache on, default backend), with only
``model.name`` pointed at a tiny local model, because the hub is unreachable in tests.

The tests of single features switch the cache off or tune lengths for speed; this file is the
one place where a config reaches ``run`` and ``compare`` exactly as a user would get it.
"""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.config import CONFIG_DIR, list_configs

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kabul-2021"
SHIPPED = dict(list_configs())

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def local_model(request):
    """``--set`` arguments that point a shipped seq2seq config at the tiny T5 (the tiny mT5 for
    mT5 configs): its 512-token window holds the part summaries of the shipped lengths (the tiny
    BART's 128 tokens do not), and as a relative-position model it accepts every configured
    input window."""

    def sets(name: str) -> list[str]:
        config = SHIPPED[name]
        if config.model.method != "abstractive":
            return []
        folder = request.getfixturevalue("tiny_mt5" if "mt5" in config.model.name.lower() else "tiny_t5")
        return ["--set", f"model.name={folder}"]

    return sets


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_run_with_each_shipped_config(name, local_model, tmp_path):
    assert SHIPPED[name].cache.enabled or SHIPPED[name].model.method != "abstractive"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "-c", name, "-o", str(out), "-q", *local_model(name)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "digest.json").read_text())
    assert data["method"] == SHIPPED[name].model.method and data["fallback"] is None
    assert len(data["articles"]) == 5


def test_compare_with_every_shipped_config(local_model, tmp_path):
    """All shipped configs in one comparison: the seq2seq ones share the loaded model object."""
    names = sorted(SHIPPED)
    paths = []
    for name in names:  # a copy of each file with only model.name changed: --set would apply to all
        raw = yaml.safe_load((CONFIG_DIR / f"{name}.yaml").read_text())
        args = local_model(name)
        if args:
            raw["model"]["name"] = args[1].split("=", 1)[1]
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(raw))
        paths.append(str(path))
    out = tmp_path / "compare"
    result = CliRunner().invoke(main, ["compare", str(EXAMPLE), "--configs", *paths, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "compare.json").read_text())
    assert [c["name"] for c in data["configs"]] == names
    assert all(len(c["per_cluster"]) == 1 and c["per_cluster"][0]["fallback"] is None for c in data["configs"])
