"""Hostile input and failures, through the CLI: one clear message, a testable exit code, no
traceback (unless --debug), and no finished work thrown away.

Exit codes: 0 done (possibly with warnings), 2 bad input or config, 1 failed run, 130 Ctrl-C.
Most runs use the lead or LexRank summarizer with TF-IDF embeddings, so no model loads.
Warnings are checked through ``caplog`` (in-process runs) or stderr (real processes).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.records import Digest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kabul-2021"
FAST = ("--set", "fusion.embedder=tfidf", "--quiet")  # no sentence-embedding model to load

GOOD = {
    "a.txt": "Ship freed in Suez\n\nThe Ever Given was freed on 29 March after six days stuck in the canal. "
    "Tugboats and dredgers worked through the night to move the giant container ship.",
    "b.txt": "Canal traffic resumes\n\nTraffic resumed in the Suez Canal once the Ever Given was refloated on Monday. "
    "More than 400 vessels had been waiting at both ends of the waterway.",
}


def cli(*args, catch: bool = False):
    """Run the CLI in-process; returns click's Result (stdout in .stdout, stderr in .stderr)."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=catch)


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return folder


def run_json(folder: Path, out: Path, *args) -> dict:
    """Digest ``folder`` with the lead summarizer and return digest.json."""
    result = cli("run", folder, "-c", "lead", "-o", out, *FAST, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads((out / "digest.json").read_text(encoding="utf-8"))


def digest_text(data: dict) -> str:
    return "\n".join(s["text"] for s in data["digest"]) + "\n" + "\n".join(a["summary"] for a in data["articles"])


# --- input -----------------------------------------------------------------------------------


def test_empty_folder_is_exit_2_with_what_to_do(tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("run", tmp_path / "empty", "-c", "lead", *FAST)
    assert result.exit_code == 2
    assert "no article files found. It is empty." in result.stderr
    assert "one article per .txt or .md file" in result.stderr


def test_folder_of_only_non_article_files_lists_them(tmp_path):
    folder = write(tmp_path / "c", {"photo.png": b"\x89PNG\r\n\x1a\n\x00\x01", "scan.pdf": b"%PDF-1.4\n\x00"})
    result = cli("run", folder, "-c", "lead", *FAST)
    assert result.exit_code == 2
    assert "It holds only: photo.png, scan.pdf." in result.stderr


def test_folder_with_no_readable_article_is_exit_2(tmp_path, caplog):
    folder = write(tmp_path / "c", {"empty.txt": "", "blank.md": "\n\n   \n", "fake.txt": b"%PDF-1.7\n\x00\x01\x02"})
    with caplog.at_level(logging.WARNING):
        result = cli("run", folder, "-c", "lead", *FAST)
    assert result.exit_code == 2
    assert "no usable article found" in result.stderr
    assert "fake.txt: skipped, it is a PDF document" in caplog.text
    assert "'empty' is empty after cleaning; skipped" in caplog.text


def test_empty_file_among_good_ones_is_skipped_with_a_warning(tmp_path, caplog):
    folder = write(tmp_path / "c", {**GOOD, "c-empty.txt": ""})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert [a["doc_id"] for a in data["articles"]] == ["a", "b"]
    assert "article 'c-empty' is empty after cleaning; skipped" in caplog.text


def test_binary_files_are_skipped_with_a_warning_naming_them(tmp_path, caplog):
    """Decision: skip, not refuse; one stray image must not cost the user the run."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))
    folder = write(tmp_path / "c", {**GOOD, "photo.png": png, "report.pdf": pdf, "scan.txt": pdf, "noise.txt": bytes(range(256)) * 8})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert [a["doc_id"] for a in data["articles"]] == ["a", "b"]
    assert "photo.png: skipped, only .txt and .md files are read" in caplog.text
    assert "report.pdf: skipped, only .txt and .md files are read" in caplog.text
    assert "scan.txt: skipped, it is a PDF document, not text" in caplog.text
    assert "noise.txt: skipped" in caplog.text


def test_latin1_and_utf16_files_are_decoded_with_a_warning(tmp_path, caplog):
    latin = "Café owners flee\n\nSeñor García, who ran a café near the airport, said the crowd was huge on Monday."
    utf16 = "Flights resume\n\nEvacuation flights resumed from the airport on Tuesday, officials in Kabul said."
    folder = write(tmp_path / "c", {"latin.txt": latin.encode("latin-1"), "wide.txt": utf16.encode("utf-16")})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    text = digest_text(data)
    assert "Señor García, who ran a café near the airport" in text
    assert "Evacuation flights resumed from the airport on Tuesday" in text
    assert "latin.txt: not UTF-8; read it as cp1252" in caplog.text
    assert "wide.txt: not UTF-8; read it as utf_16" in caplog.text


def test_utf16_without_byte_order_mark_is_not_read_as_utf8_with_nuls(tmp_path):
    text = "Flights resume\n\nEvacuation flights resumed from the airport on Tuesday, officials in Kabul said."
    folder = write(tmp_path / "c", {"wide.txt": text.encode("utf-16-le")})
    data = run_json(folder, tmp_path / "out")
    assert "\x00" not in digest_text(data)
    assert "Evacuation flights resumed" in digest_text(data)


def test_mojibake_is_repaired(tmp_path):
    """UTF-8 decoded as Windows-1252 and saved again (as in examples/kabul-2021/01_northern-ledger.txt)."""
    original = "The airport’s gates were shut – and “nobody could get through”, a witness said on Monday."
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252": cp1252 keeping 0x9d as U+009D)

    broken = original.encode("utf-8").decode("sloppy-windows-1252")
    assert "â€™" in broken and "â€œ" in broken
    folder = write(tmp_path / "c", {"m.txt": "Crowds at the gate\n\n" + broken})
    text = digest_text(run_json(folder, tmp_path / "out"))
    assert "â€" not in text
    assert "The airport's gates were shut – and \"nobody could get through\", a witness said on Monday." in text  # quotes uncurled by ftfy


def test_html_saved_as_txt_is_stripped_with_a_warning(tmp_path, caplog):
    """Decision: strip (BeautifulSoup), keep the text and the <title> as headline, and say so."""
    page = """<!DOCTYPE html><html><head><title>Crowds swell at Kabul airport</title>
    <script>var tracking = "secret";</script><style>p { color: red }</style></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><p>Thousands of Afghans crowded the <a href="#">airport</a> gates on Monday, hoping to board <b>evacuation</b> flights.</p>
    <p>Soldiers fired warning shots into the air to keep the crowd back, witnesses said.</p></article>
    <footer>Copyright 2021 Example News</footer></body></html>"""
    folder = write(tmp_path / "c", {"page.txt": page})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    text = digest_text(data)
    assert "Thousands of Afghans crowded the airport gates on Monday, hoping to board evacuation flights." in text
    for leftover in ("<", "tracking", "color: red", "Copyright", "Home"):
        assert leftover not in text
    assert data["articles"][0]["title"] == "Crowds swell at Kabul airport"
    assert "page.txt: looks like an HTML page; its tags, scripts and menus were stripped" in caplog.text


# Figures are kept out of the large synthetic inputs below on purpose: fusion's figure check
# (conflicts.contradicts) currently costs O(digest groups x article sentences) regex passes,
# minutes at this scale; benchmarks/bench_hostile_scale.py measures it with figures.
PLACES = ["Ismailia", "Suez", "Port Said", "Cairo", "Alexandria", "Aden", "Kabul", "Herat", "Mazar", "Kandahar"]
CREWS = ["pilots", "engineers", "sailors", "dockers", "clerks", "drivers", "medics"]


def test_article_of_200000_words_is_cut_with_a_warning_and_summarized(tmp_path, caplog):
    sentences = [
        f"Report {PLACES[i % 10]} says the convoy of {CREWS[i % 7]} reached the {PLACES[i // 10 % 10]} checkpoint before noon on a quiet day."
        for i in range(11_800)
    ]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    huge = "A very long file\n\n" + "\n\n".join(paragraphs)
    words = len(huge.split()) - 4
    assert words >= 200_000
    folder = write(tmp_path / "c", {"huge.txt": huge, **GOOD})
    with caplog.at_level(logging.WARNING):
        result = cli("run", folder, "-c", "extractive", "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.stderr
    assert f"article 'huge' has {words} words; only its first" in caplog.text
    assert "data.max_article_words" in caplog.text
    data = json.loads((tmp_path / "out" / "digest.json").read_text())
    summaries = {a["doc_id"]: a["summary"] for a in data["articles"]}
    assert summaries["huge"].startswith("Report ") and len(summaries["huge"].split()) < 100


def test_cluster_of_one_article_is_digested_and_says_so(tmp_path):
    folder = write(tmp_path / "c", {"a.txt": GOOD["a.txt"]})
    data = run_json(folder, tmp_path / "out")
    assert data["digest"] and all(s["sources"] == ["a"] for s in data["digest"])
    assert any("single article" in note for note in data["notes"])
    assert "> **Note:** This cluster has a single article" in (tmp_path / "out" / "digest.md").read_text()


def test_cluster_of_300_articles_keeps_every_source(tmp_path):
    shared = "The Ever Given container ship was freed from the Suez Canal on Monday after six days."
    files = {
        f"{n:03d}.txt": f"Report\n\n{shared} A reporter in {PLACES[n % 10]} spoke to {CREWS[n % 7]} at the {PLACES[n // 10 % 10]} office of the port."
        for n in range(300)
    }
    data = run_json(write(tmp_path / "c", files), tmp_path / "out")
    assert len(data["articles"]) == 300
    top = data["digest"][0]
    assert top["text"] == shared and top["support"] == 300
    assert top["sources"] == [f"{n:03d}" for n in range(300)]


def test_same_article_twice_under_two_names_is_kept_once(tmp_path, caplog):
    folder = write(tmp_path / "c", {**GOOD, "copy-of-a.md": GOOD["a.txt"]})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert [a["doc_id"] for a in data["articles"]] == ["a", "b"]
    assert "article 'copy-of-a' duplicates 'a' exactly; skipped." in caplog.text


FRENCH = (
    "Les talibans à Kaboul\n\nLes talibans sont entrés dans Kaboul dimanche, et le président Ashraf Ghani a quitté le pays. "
    "Des milliers de personnes se sont rassemblées à l'aéroport dans l'espoir de fuir, selon des témoins sur place."
)


def test_a_cluster_mixing_languages_is_warned_about_and_digested_in_the_majority_language(tmp_path, caplog):
    folder = write(tmp_path / "c", {**GOOD, "fr.txt": FRENCH})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert "fr" in [a["doc_id"] for a in data["articles"]]  # warned about, not dropped
    assert data["language"] == "en"
    assert "cluster 'c' mixes languages (2 in 'en', 1 in 'fr'); it is digested in 'en'" in caplog.text
    assert caplog.text.count("mixes languages") == 1  # one warning per cluster, naming the article
    assert "read with its rules: fr." in caplog.text


def test_an_article_in_another_language_than_a_forced_one_is_warned_about(tmp_path, caplog):
    folder = write(tmp_path / "c", {**GOOD, "fr.txt": FRENCH})
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out", "--set", "data.language=en")
    assert data["language"] == "en"
    assert "article 'fr' looks like language 'fr', not 'en'" in caplog.text
    assert "article 'a'" not in caplog.text and "article 'b'" not in caplog.text


def test_language_check_can_be_set_or_switched_off(tmp_path, caplog):
    folder = write(tmp_path / "c", {"fr.txt": FRENCH})
    with caplog.at_level(logging.WARNING):
        run_json(folder, tmp_path / "o1", "--set", "data.language=fr")
        run_json(folder, tmp_path / "o2", "--set", "data.language=null")
    assert "looks like language" not in caplog.text


def test_language_detection_is_deterministic():
    from summarizer.text.language import detect_language

    assert {detect_language(FRENCH) for _ in range(5)} == {"fr"}
    assert detect_language(GOOD["a.txt"] + " " + GOOD["b.txt"]) == "en"
    assert detect_language("Too short to tell") is None


def test_jsonl_with_a_broken_line_names_the_line(tmp_path):
    lines = [json.dumps({"text": GOOD["a.txt"]}), json.dumps({"text": GOOD["b.txt"]}), '{"text": "unterminated', ""]
    (tmp_path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    result = cli("run", tmp_path / "a.jsonl", "-c", "lead", *FAST)
    assert result.exit_code == 2
    assert "line 3 is not valid JSON" in result.stderr and "Fix or delete that line" in result.stderr


def test_jsonl_without_the_text_column_lists_the_columns(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"headline": "x", "body": GOOD["a.txt"]}) + "\n", encoding="utf-8")
    result = cli("run", tmp_path / "a.jsonl", "-c", "lead", *FAST)
    assert result.exit_code == 2
    assert "no 'text' column. Columns present: headline, body." in result.stderr
    assert "--set data.text_column=NAME" in result.stderr
    assert cli("run", tmp_path / "a.jsonl", "-c", "lead", "--set", "data.text_column=body", *FAST).exit_code == 0


# --- config ----------------------------------------------------------------------------------


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_yaml_gives_file_line_and_column(tmp_path):
    path = config_file(tmp_path, "model:\n  method: lead\nlength:\n  preset: [short\n")
    result = cli("run", EXAMPLE, "-c", path, *FAST)
    assert result.exit_code == 2
    assert f"{path}: malformed YAML at line" in result.stderr and "column" in result.stderr


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = config_file(tmp_path, "model:\n  method: lead\nlength:\n  presets: short\n")
    result = cli("run", EXAMPLE, "-c", path, *FAST)
    assert result.exit_code == 2
    assert "unknown key 'length.presets'. Did you mean 'preset'?" in result.stderr


def test_wrong_type_names_key_and_value():
    result = cli("run", EXAMPLE, "-c", "lead", "--set", "length.num_beams=many", *FAST)
    assert result.exit_code == 2
    assert "bad value for 'length.num_beams'" in result.stderr and "'many'" in result.stderr


@pytest.mark.parametrize("value", ["big", "0", "true"])
def test_bad_batch_size_gets_one_message_with_what_is_allowed(value):
    result = cli("run", EXAMPLE, "-c", "lead", "--set", f"model.batch_size={value}", *FAST)
    assert result.exit_code == 2
    assert result.stderr.count("bad value for 'model.batch_size': should be 'auto' or a whole number from 1 to 256") == 1


def test_min_length_above_max_is_refused():
    result = cli("run", EXAMPLE, "-c", "lead", "--set", "length.min_new_tokens=90", "--set", "length.max_new_tokens=30", *FAST)
    assert result.exit_code == 2
    assert "min_new_tokens (90) is above max_new_tokens (30)" in result.stderr


ABSTRACTIVE = ("-c", "default", "--set", "model.on_load_failure=error", *FAST)


def test_model_folder_that_does_not_exist(tmp_path):
    result = cli("run", EXAMPLE, *ABSTRACTIVE, "--set", f"model.name={tmp_path / 'no-such-model'}")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "model.name" in result.stderr


def test_model_id_that_cannot_exist_on_the_hub():
    result = cli("run", EXAMPLE, *ABSTRACTIVE, "--set", "model.name=not a model id!!")
    assert result.exit_code == 2
    assert "not a model id!!" in result.stderr


def test_local_model_that_is_not_seq2seq_says_so(tmp_path):
    from transformers import BertConfig, BertModel

    folder = tmp_path / "tiny-bert"
    BertModel(BertConfig(vocab_size=64, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16)).save_pretrained(folder)
    result = cli("run", EXAMPLE, *ABSTRACTIVE, "--set", f"model.name={folder}")
    assert result.exit_code == 2
    assert "'bert' model, not an encoder-decoder (seq2seq) model" in result.stderr


def test_hub_model_while_offline_says_how_to_get_it(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = cli("run", EXAMPLE, *ABSTRACTIVE, "--set", "model.name=example-org/never-downloaded-model")
    assert result.exit_code == 2
    assert "not in the local Hugging Face cache" in result.stderr
    assert "hf download example-org/never-downloaded-model" in result.stderr
    assert "--config extractive" in result.stderr  # the config that works offline


# --- run -------------------------------------------------------------------------------------


def test_unwritable_output_folder_is_refused_before_any_model_work(tmp_path, monkeypatch):
    import summarizer.pipeline

    def no_model_work(*args, **kwargs):
        raise AssertionError("models were loaded before the output folder was checked")

    monkeypatch.setattr(summarizer.pipeline, "Pipeline", no_model_work)
    monkeypatch.setattr(summarizer.pipeline, "load_articles", no_model_work)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("run", EXAMPLE, "-c", "lead", "-o", blocker / "out", *FAST)
    assert result.exit_code == 2
    assert f"{blocker / 'out'}: the output folder cannot be written" in result.stderr
    assert "Choose another --output folder." in result.stderr


def test_real_process_gives_one_line_and_no_traceback_unless_debug(tmp_path):
    (tmp_path / "empty").mkdir()
    command = [sys.executable, "-m", "summarizer", "run", str(tmp_path / "empty"), "-c", "lead", "-q"]
    plain = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert plain.returncode == 2
    assert plain.stderr.strip().splitlines() == [plain.stderr.strip()]
    assert plain.stderr.startswith("summarizer: error: ") and "Traceback" not in plain.stderr
    debug = subprocess.run([*command[:3], "--debug", *command[3:]], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "InputError" in debug.stderr


def test_unexpected_failure_is_exit_1_with_a_message_not_a_traceback(monkeypatch):
    import summarizer.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(summarizer.pipeline, "load_articles", broken)
    result = cli("run", EXAMPLE, "-c", "lead", *FAST)
    assert result.exit_code == 1
    assert "the run failed unexpectedly (RuntimeError: disk on fire)" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(RuntimeError, match="disk on fire"):
        cli("--debug", "run", EXAMPLE, "-c", "lead", *FAST)


# --- interruption and resume (tiny real BART, per-article cache) -----------------------------

SHORT_ARTICLES = {
    f"{n}.txt": f"Report {n}\n\nThe ship number {n} left the harbour at dawn. Crews checked the cargo twice. Officials said trade would resume on day {n}."
    for n in range(1, 6)
}


def tiny_run_args(model: Path, out: Path) -> list:
    return [
        "-c", "default", "-o", out, *FAST,
        "--set", f"model.name={model}", "--set", "model.on_load_failure=error", "--set", "model.batch_size=1",
        "--set", "length.min_new_tokens=2", "--set", "length.max_new_tokens=12", "--set", "length.num_beams=1",
    ]


def comparable(out: Path) -> dict:
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    data.pop("timings")
    data["config"].pop("cache", None)
    return data


def test_ctrl_c_then_rerun_resumes_from_the_cache_and_matches_an_uninterrupted_run(tmp_path, tiny_bart, monkeypatch):
    from summarizer.summarize.seq2seq import Seq2SeqSummarizer

    folder = write(tmp_path / "c", SHORT_ARTICLES)
    real = Seq2SeqSummarizer.summarize
    summarized: list[str] = []

    def counting(self, texts, progress=True, language="en"):
        if interrupt_after is not None and len(summarized) >= interrupt_after:
            raise KeyboardInterrupt
        summarized.extend(texts)
        return real(self, texts, progress=progress, language=language)

    monkeypatch.setattr(Seq2SeqSummarizer, "summarize", counting)
    interrupt_after = None
    baseline = cli("run", folder, *tiny_run_args(tiny_bart, tmp_path / "baseline"), "--no-cache")
    assert baseline.exit_code == 0, baseline.stderr
    assert len(summarized) == 5

    summarized.clear()
    interrupt_after = 2
    stopped = cli("run", folder, *tiny_run_args(tiny_bart, tmp_path / "out"))
    assert stopped.exit_code == 130
    assert "run the same command again to resume" in stopped.stderr
    assert not (tmp_path / "out" / "digest.json").exists()
    assert len(summarized) == 2

    summarized.clear()
    interrupt_after = None
    resumed = cli("run", folder, *tiny_run_args(tiny_bart, tmp_path / "out"))
    assert resumed.exit_code == 0, resumed.stderr
    assert len(summarized) == 3  # the two finished articles came from the cache
    assert comparable(tmp_path / "out") == comparable(tmp_path / "baseline")

    summarized.clear()
    assert cli("run", folder, *tiny_run_args(tiny_bart, tmp_path / "again")).exit_code == 0
    assert summarized == []  # a third run recomputes nothing


def test_real_sigint_stops_cleanly_and_the_same_command_resumes(tmp_path, tiny_bart):
    """A real Ctrl-C: SIGINT to a running ``python -m summarizer`` process, then the same command."""
    articles = {
        f"{n:02d}.txt": f"Report {n}\n\n" + " ".join(f"Ship {n} moved cargo crate {k} past the harbour wall." for k in range(20))
        for n in range(20)
    }
    folder = write(tmp_path / "c", articles)
    cache = Path(os.environ["SUMMARIZER_CACHE"])

    def entries() -> list[Path]:
        """Stored summaries (``<2 hex>/<key>.json``; CTranslate2 conversions also live here)."""
        return list(cache.glob("??/*.json"))

    # without --quiet: the resumed run reports its cache hits on stderr
    args = [str(a) for a in tiny_run_args(tiny_bart, tmp_path / "out") if a != "--quiet"]
    command = [sys.executable, "-m", "summarizer", "run", str(folder), *args]

    def default_sigint() -> None:
        """In the child: a test run started in the background (`cmd &` in a script) ignores SIGINT,
        and Python installs no Ctrl-C handler for a signal ignored at start-up."""
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    deadline = time.monotonic() + 300
    while not entries() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before the first article summary was stored"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "run the same command again to resume" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out" / "digest.json").exists()
    stored = {path: path.stat().st_ino for path in entries()}
    finished = len(stored)
    assert 1 <= finished < len(articles)

    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"reused {finished} of {len(articles)} article summaries" in resumed.stderr
    assert all(path.stat().st_ino == inode for path, inode in stored.items())  # read, not rewritten
    assert len(entries()) == len(articles)
    baseline = subprocess.run(
        [*command[:5], *[str(a) for a in tiny_run_args(tiny_bart, tmp_path / "baseline")], "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert baseline.returncode == 0, baseline.stderr
    assert comparable(tmp_path / "out") == comparable(tmp_path / "baseline")


def test_cache_key_changes_with_text_model_and_every_length_setting(tmp_path):
    from summarizer.config import load_config
    from summarizer.summarize.cache import SummaryCache, cache_key, summary_identity

    base = load_config("default")
    identity = summary_identity(base, "m", "abstractive")
    key = cache_key("text", identity)
    assert key == cache_key("text", summary_identity(load_config("default"), "m", "abstractive"))
    assert key != cache_key("text.", identity)
    assert key != cache_key("text", summary_identity(base, "other-model", "abstractive"))
    for override in ("length.num_beams=2", "length.max_new_tokens=99", "length.length_penalty=1.0", "model.revision=abc", "model.prefix=x"):
        assert key != cache_key("text", summary_identity(load_config("default", [override]), "m", "abstractive")), override
    cache = SummaryCache(tmp_path / "cache", identity)
    assert cache.get(cache.key("text")) is None
    cache.put(cache.key("text"), "A summary.", 2)
    assert SummaryCache(tmp_path / "cache", identity).get(cache.key("text")) == ("A summary.", 2)
    entry = next((tmp_path / "cache").rglob("*.json"))
    entry.write_text("{broken")  # a damaged entry is recomputed, not fatal
    assert cache.get(cache.key("text")) is None


def test_out_of_memory_halves_the_batch_and_retries(tiny_bart, monkeypatch, caplog):
    import torch

    from summarizer.config import LengthSettings, ModelSettings
    from summarizer.summarize.seq2seq import Seq2SeqSummarizer

    length = LengthSettings(min_new_tokens=2, max_new_tokens=10, num_beams=1)
    texts = [SHORT_ARTICLES[f"{n}.txt"] for n in range(1, 6)]
    expected = Seq2SeqSummarizer(ModelSettings(name=str(tiny_bart), batch_size=1), length).summarize(texts, progress=False)

    summarizer = Seq2SeqSummarizer(ModelSettings(name=str(tiny_bart), batch_size=4), length)
    real = summarizer._generate_batch
    sizes: list[int] = []

    def tight_memory(inputs, limit=None):
        sizes.append(len(inputs))
        if len(inputs) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(inputs, limit)

    monkeypatch.setattr(summarizer, "_generate_batch", tight_memory)
    with caplog.at_level(logging.WARNING):
        assert summarizer.summarize(texts, progress=False) == expected
    assert sizes[0] == 4 and max(sizes[1:]) <= 2 and summarizer.batch_size == 2
    assert "out of memory with 4 inputs per batch" in caplog.text


def test_out_of_memory_on_a_single_input_is_one_clear_error(tiny_bart, monkeypatch):
    from summarizer.config import LengthSettings, ModelSettings
    from summarizer.errors import SummarizerError
    from summarizer.summarize.seq2seq import Seq2SeqSummarizer

    summarizer = Seq2SeqSummarizer(ModelSettings(name=str(tiny_bart), batch_size=1), LengthSettings(min_new_tokens=2, max_new_tokens=10))

    def no_memory(inputs, limit=None):
        raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 bytes. Out of memory")

    monkeypatch.setattr(summarizer, "_generate_batch", no_memory)
    with pytest.raises(SummarizerError, match="Lower model.max_input_tokens"):
        summarizer.summarize([SHORT_ARTICLES["1.txt"]], progress=False)


# --- nothing dropped without a word ---------------------------------------------------------


def _cluster(cluster_id: str, texts: list[str]) -> str:
    return json.dumps({"cluster_id": cluster_id, "documents": [{"text": t} for t in texts]})


def test_empty_and_unusable_clusters_in_a_jsonl_are_named_and_summed_up(tmp_path, caplog):
    good = list(GOOD.values())
    lines = [_cluster("first", good), _cluster("hollow", []), _cluster("blank", ["", "   "]), _cluster("last", good)]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = cli("run", tmp_path / "c.jsonl", "-c", "lead", "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["first", "last"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "first/digest.html" in index and "last/digest.html" in index and "hollow" not in index
    assert "cluster 'hollow' (record 2) has no documents; skipped." in caplog.text
    assert "cluster 'blank': none of its 2 articles is usable; skipped." in caplog.text
    summary = caplog.records[-1].getMessage()
    assert summary.startswith("skipped 4 inputs in all") and "'hollow'" in summary and "'blank'" in summary


def test_compare_records_what_was_skipped(tmp_path):
    lines = [_cluster("first", list(GOOD.values())), _cluster("hollow", [])]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("compare", tmp_path / "c.jsonl", "--configs", "lead", "-o", tmp_path / "cmp", *FAST)
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert [c["cluster_id"] for c in data["clusters"]] == ["first"]
    assert any("'hollow'" in entry for entry in data["skipped"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_named_pipe_in_a_folder_is_skipped_with_a_warning_without_opening_it(tmp_path, caplog):
    folder = write(tmp_path / "c", GOOD)
    os.mkfifo(folder / "feed.txt")  # opening it for reading would block until a writer comes
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert [a["doc_id"] for a in data["articles"]] == ["a", "b"]
    assert "feed.txt: skipped, not a regular file" in caplog.text


def test_300000_unpunctuated_words_are_split_into_bounded_paragraphs_and_finish(tmp_path, caplog):
    """A scraped table or transcript: one huge paragraph without a full stop. Every stage works
    sentence by sentence, so it is cut into bounded pieces first. (Without figures: the
    conflict search is still quadratic in a cluster's figures, see benchmarks/bench_hostile_scale.py.)"""
    words = [f"{CREWS[i % 7]} {PLACES[i % 10]} convoy" for i in range(100_000)]
    folder = write(tmp_path / "c", {"table.txt": "Scraped table\n\n" + " ".join(words), **GOOD})
    with caplog.at_level(logging.WARNING):  # before the split: no end within 10 minutes
        result = cli("run", folder, "-c", "lead", "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.stderr
    assert "article 'table' has a paragraph of" in caplog.text and "split into pieces of at most" in caplog.text


# --- cluster ids that are paths ------------------------------------------------------------


HOSTILE_IDS = ["../x", "/abs", "plain"]  # one climbs out of --output, one replaces it


def _clusters_file(tmp_path: Path, ids: list[str]) -> Path:
    source = tmp_path / "in" / "c.jsonl"
    source.parent.mkdir()
    source.write_text("\n".join(_cluster(cid, list(GOOD.values())) for cid in ids) + "\n", encoding="utf-8")
    return source


def _written(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("digest.md"))


def test_cluster_ids_that_are_paths_stay_inside_the_output_folder(tmp_path):
    source = _clusters_file(tmp_path, HOSTILE_IDS)
    out = tmp_path / "deep" / "out"
    result = cli("run", source, "-c", "lead", "-o", out, *FAST)
    assert result.exit_code == 0, result.output + result.stderr
    assert _written(tmp_path) == ["deep/out/_abs/digest.md", "deep/out/_x/digest.md", "deep/out/plain/digest.md"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="_x/digest.html"' in index and 'href="_abs/digest.html"' in index
    assert json.loads((out / "_x" / "digest.json").read_text(encoding="utf-8"))["cluster_id"] == "../x"  # the id itself is kept


def test_compare_keeps_cluster_ids_that_are_paths_inside_its_folder(tmp_path):
    source = _clusters_file(tmp_path, HOSTILE_IDS)
    result = cli("compare", source, "--configs", "lead", "-o", tmp_path / "cmp", *FAST)
    assert result.exit_code == 0, result.output + result.stderr
    assert _written(tmp_path) == [f"cmp/digests/lead/{name}/digest.md" for name in ("_abs", "_x", "plain")]
    assert "digests/lead/_x/digest.html" in (tmp_path / "cmp" / "report.html").read_text(encoding="utf-8")


def test_ray_writer_keeps_cluster_ids_that_are_paths_inside_the_output_folder(tmp_path):
    from summarizer.engine.ray import _write

    out = tmp_path / "out"
    for cid in HOSTILE_IDS:
        _write(Digest(cluster_id=cid, config={}, model="lead", method="lead", articles=[], digest=[], timings={}), str(out), len(HOSTILE_IDS))
    assert _written(tmp_path) == ["out/_abs/digest.md", "out/_x/digest.md", "out/plain/digest.md"]


@pytest.mark.parametrize("command", ["run", "compare"])
def test_two_cluster_ids_that_clean_to_one_folder_are_refused_naming_both(tmp_path, command):
    source = _clusters_file(tmp_path, ["a/b", "a b", "c"])
    option = ("-c", "lead") if command == "run" else ("--configs", "lead")
    result = cli(command, source, *option, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 2, result.output + result.stderr
    assert "'a/b' and 'a b' would both be written to the folder 'a_b'" in result.stderr
    assert _written(tmp_path) == []


def test_an_empty_digest_is_a_warning_and_a_note_that_say_which_setting_no_sentence_met(tmp_path, caplog):
    unpunctuated = {f"{name}.txt": " ".join(text.replace(".", " ").split()) for name, text in (("a", GOOD["a.txt"]), ("b", GOOD["b.txt"]))}
    folder = write(tmp_path / "c", unpunctuated)
    with caplog.at_level(logging.WARNING):
        data = run_json(folder, tmp_path / "out")
    assert data["digest"] == []
    assert "the digest is empty. No sentence met the digest settings" in caplog.text
    assert any("have no statement of at least fusion.min_sentence_words=" in note for note in data["notes"])
