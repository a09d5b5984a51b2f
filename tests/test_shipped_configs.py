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


#: The tiny model of each shipped seq2seq config's own architecture (tests/conftest.py); the BART
#: has bart-large-cnn's 1024-token window, which holds the part summaries of the shipped lengths.
FAMILIES = {"bart": "tiny_bart_1024", "pegasus": "tiny_pegasus", "t5": "tiny_t5", "led": "tiny_led", "mt5": "tiny_mt5"}


def family(model_name: str) -> str:
    """The architecture a shipped hub id names ("sshleifer/distilbart-cnn-12-6" is a BART)."""
    named = [name for name in FAMILIES if name in model_name.split("/")[-1].lower()]
    found = [name for name in named if not any(name != longer and name in longer for longer in named)]  # mt5, not t5
    assert len(found) == 1, f"no single tiny model stands in for {model_name}: add its family to FAMILIES"
    return found[0]


@pytest.fixture
def local_model(request):
    """``--set`` arguments that point a shipped seq2seq config at the tiny model of its own family."""

    def sets(name: str) -> list[str]:
        config = SHIPPED[name]
        if config.model.method != "abstractive":
            return []
        folder = request.getfixturevalue(FAMILIES[family(config.model.name)])
        return ["--set", f"model.name={folder}"]

    return sets


def test_every_seq2seq_family_is_stood_in_for_by_its_own_architecture(local_model):
    expected = {"bart": "BartFor", "pegasus": "PegasusFor", "t5": "T5For", "led": "LEDFor", "mt5": "MT5For"}  # the model class saved
    for name, config in SHIPPED.items():
        if config.model.method == "abstractive":
            folder = Path(local_model(name)[1].split("=", 1)[1])
            assert json.loads((folder / "config.json").read_text())["architectures"][0].startswith(expected[family(config.model.name)]), name


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
