"""Progress bars of run (over clusters) and compare (one per config over clusters): shown on a
terminal with articles done and time left, quiet with progress off (--quiet) and off a terminal."""

import io
import json
import sys

import pytest

from summarizer.compare import compare
from summarizer.config import load_config
from summarizer.pipeline import run


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _two_clusters(tmp_path):
    texts = ["Ship freed\n\nThe Ever Given was freed on Monday after six days in the canal. Tugboats worked all night.",
             "Canal open\n\nTraffic resumed in the canal on Monday. More than 400 ships had waited at both ends."]
    rows = [{"cluster_id": c, "documents": [{"text": t} for t in texts]} for c in ("one", "two")]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_compare_shows_one_bar_per_config_with_articles_and_time_left_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    configs = [(n, load_config(n, ["fusion.embedder=tfidf"])) for n in ("lead", "extractive")]
    compare(_two_clusters(tmp_path), configs, progress=True)
    shown = sys.stderr.getvalue()
    for name in ("lead", "extractive"):
        assert f"{name}: 100%" in shown and "| 2/2 [" in shown
    assert "4 articles" in shown and "<" in shown  # articles done, and tqdm's elapsed<remaining


@pytest.mark.parametrize("terminal, progress", [(False, True), (True, False)])
def test_compare_bars_are_quiet_off_a_terminal_and_with_progress_off(terminal, progress, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal() if terminal else io.StringIO())
    compare(_two_clusters(tmp_path), [("lead", load_config("lead", ["fusion.embedder=tfidf"]))], progress=progress)
    assert "cluster" not in sys.stderr.getvalue()


def test_run_shows_a_bar_over_clusters_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    run(_two_clusters(tmp_path), load_config("lead", ["fusion.embedder=tfidf"]), progress=True)
    shown = sys.stderr.getvalue()
    assert "| 2/2 [" in shown and "4 articles" in shown
