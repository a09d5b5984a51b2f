"""The CLI end to end: digests on stdout and on disk, one per cluster, fallbacks announced."""

import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.text.embed import MiniLMEmbedder
from tests.shared_data import KABUL, needs_shared_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kabul-2021"
DIGEST_KEYS = {"config", "model", "method", "articles", "digest", "timings"}


def _invoke(*args):
    result = CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)
    return result


def test_module_entry_point_prints_the_bundled_digest_and_writes_files(tmp_path):
    """The README's main command, as a real process."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "run", str(EXAMPLE), "--config", "extractive", "--output", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Digest: kabul-2021")
    assert "Traceback" not in proc.stderr
    data = json.loads((out / "digest.json").read_text())
    assert DIGEST_KEYS <= set(data) and set(data["timings"]) >= {"load_s", "summarize_s", "fuse_s"}
    assert data["method"] == "extractive"
    assert [a["doc_id"] for a in data["articles"]] == sorted(p.stem for p in EXAMPLE.glob("*.txt"))
    assert all(a["summary"] for a in data["articles"])
    assert (out / "digest.md").read_text().rstrip() == proc.stdout.rstrip()
    assert not list(out.glob(".*digest*"))  # no temporary files left behind


@pytest.fixture(scope="module")
def kabul_digest(tmp_path_factory):
    out = tmp_path_factory.mktemp("kabul")
    result = _invoke("run", KABUL, "--config", "extractive", "--output", out, "--quiet")
    assert result.exit_code == 0, result.output
    return json.loads((out / "digest.json").read_text())


@needs_shared_data
def test_real_kabul_digest_is_short(kabul_digest):
    words = sum(len(s["text"].split()) for s in kabul_digest["digest"])
    assert 100 <= words <= 250


@needs_shared_data
def test_real_kabul_digest_has_several_multi_outlet_sentences(kabul_digest):
    supports = [len(s["sources"]) for s in kabul_digest["digest"]]
    assert sum(1 for n in supports if n > 1) >= 3
    # ranked by support first, except that a sentence needing the one before it (same article) follows it
    digest = kabul_digest["digest"]
    heads = [n for k, n in enumerate(supports) if k == 0 or digest[k]["doc_id"] != digest[k - 1]["doc_id"]]
    assert heads == sorted(heads, reverse=True)
    for sentence in kabul_digest["digest"]:
        assert sentence["doc_id"] in sentence["sources"]
        assert {e["doc_id"] for e in sentence["evidence"]} >= set(sentence["sources"])


@needs_shared_data
def test_real_kabul_digest_never_says_the_same_thing_twice(kabul_digest):
    embedder = MiniLMEmbedder()
    vectors = embedder.encode([s["text"] for s in kabul_digest["digest"]])
    worst = max(float(vectors[i] @ vectors[j]) for i, j in combinations(range(len(vectors)), 2))
    assert worst < embedder.default_threshold


@needs_shared_data
def test_real_kabul_digest_reports_the_march_on_panjshir_once(kabul_digest):
    # two outlets report the Taliban's "hundreds" of fighters heading for the valley, one spelling it
    # Panchir; the two wordings score 0.64, below the threshold, so only their words tell them apart
    march = [s["text"] for s in kabul_digest["digest"] if "hundreds" in s["text"].lower() and ("Panjshir" in s["text"] or "Panchir" in s["text"])]
    assert len(march) == 1, march


def test_words_flag_sets_the_digest_budget(tmp_path):
    out = tmp_path / "short"
    result = _invoke("run", ROOT / "examples" / "clusters.jsonl", "-c", "lead", "-o", out, "-q", "--set", "fusion.max_words=200", "--words", "40")
    assert result.exit_code == 0, result.output
    for cluster in ("kabul-2021", "suez-2021"):
        data = json.loads((out / cluster / "digest.json").read_text())
        assert data["config"]["fusion"]["max_words"] == 40  # --words wins over --set
        assert data["digest"] and sum(len(s["text"].split()) for s in data["digest"]) <= 40


def test_clusters_file_gives_one_digest_per_cluster(tmp_path):
    out = tmp_path / "many"
    result = _invoke("run", ROOT / "examples" / "clusters.jsonl", "-c", "lead", "-o", out, "-q", "--set", "length.sentences=2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "kabul-2021", "suez-2021"]
    index = (out / "index.html").read_text()
    for cluster in ("kabul-2021", "suez-2021"):
        data = json.loads((out / cluster / "digest.json").read_text())
        assert data["cluster_id"] == cluster and data["method"] == "lead" and data["digest"]
        assert f'href="{cluster}/digest.html"' in index and (out / cluster / "digest.html").is_file()
    assert result.output.count("# Digest:") == 2


def test_single_article_cluster_says_so(tmp_path):
    folder = tmp_path / "solo"
    folder.mkdir()
    (folder / "only.txt").write_text("Headline\n\nThe ship was freed on 29 March after six days aground. Traffic resumed the same evening.")
    result = _invoke("run", folder, "-c", "lead", "-q")
    assert result.exit_code == 0 and "single article" in result.output


def test_default_config_without_model_falls_back_loudly(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "fb"
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "run", str(EXAMPLE), "-o", str(out), "-q"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "sshleifer/distilbart-cnn-12-6" in proc.stderr and "extractive" in proc.stderr
    data = json.loads((out / "digest.json").read_text())
    assert data["method"] == "extractive" and data["fallback"]["from"] == "sshleifer/distilbart-cnn-12-6"
    assert "could not load" in (out / "digest.md").read_text()


def test_model_load_error_without_fallback_is_one_message_and_exit_2(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "--set", "model.on_load_failure=error", "-q"])
    assert result.exit_code == 2
    assert "summarizer: error:" in result.output and "extractive" in result.output
    assert "Traceback" not in result.output


def test_bad_config_key_exits_2_with_message():
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "--set", "fusion.treshold=0.5"])
    assert result.exit_code == 2 and "Did you mean 'threshold'" in result.output


def test_configs_command_lists_models_and_lengths():
    result = _invoke("configs")
    assert result.exit_code == 0
    for expected in ("default", "sshleifer/distilbart-cnn-12-6", "google/pegasus-multi_news", "extractive", "3 sentences/article", "40-120 tokens"):
        assert expected in result.output


@pytest.mark.parametrize("args", [["configs"], ["run", str(EXAMPLE), "--config", "lead", "--quiet"]])
def test_closed_stdout_pipe_exits_quietly(args):
    """``python -m summarizer configs | head -1``: the reader leaving early is normal, as for Unix tools."""
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # before the child writes anything: its first write meets a closed pipe
    stderr = proc.communicate(timeout=300)[1].decode()
    assert "error" not in stderr and "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert proc.returncode == 141  # 128 + SIGPIPE, the status of `yes | head -1`'s yes
