"""The notebooks run top to bottom on the bundled example (each is its own test)."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(name: str) -> nbformat.NotebookNode:
    """Run a notebook in its own folder, as Jupyter would; raise on the first failing cell."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def test_quickstart_shows_the_digest_with_sources():
    text = _outputs(execute("01_quickstart.ipynb"))
    assert "# Digest: kabul-2021" in text
    assert "articles: " in text  # sources named after multi-article sentences
    assert "01_northern-ledger" in text
    assert "<details" in text and "Sources disagree" in text  # the interactive evidence view


def test_compare_models_shows_table_chart_and_digests_side_by_side():
    notebook = execute("02_compare_models.ipynb")
    text = _outputs(notebook)
    for name in ("| lead |", "| extractive |", "| extractive-120w |", "| tiny-t5 |"):
        assert name in text
    assert "faithful share" in text  # the legend names each metric
    assert "image/png" in str([o.get("data", {}).keys() for c in notebook.cells for o in c.get("outputs", [])])
    # one column per config, each headed by its name; tiny-t5's column holds whatever its random
    # weights wrote (gibberish, possibly nothing), so only its presence is checked
    for name in ("lead", "extractive", "extractive-120w", "tiny-t5"):
        assert f"<b>{name}</b>" in text
    assert "01_northern-ledger" in text  # the lead digest's sources
