"""Digests of Arabic and Hindi clusters end to end, through the CLI and the shipped config.

The inputs are small cuts of the MultiLing 2011 clusters (the first paragraphs of a few articles
of one topic), made at test time from ../shared/data, which the project may not bundle.
"""

import json

import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.text import split_sentences, words
from tests.shared_data import MULTILING_LANGUAGES, needs_shared_data


def small_cluster(language: str, folder, articles: int = 4, paragraphs: int = 6):
    """The first ``paragraphs`` paragraphs of the first ``articles`` articles of the first topic, as JSONL."""
    with MULTILING_LANGUAGES[language].open(encoding="utf-8") as lines:
        cluster = json.loads(next(lines))
    documents = [{**d, "text": "\n\n".join(d["text"].split("\n\n")[:paragraphs])} for d in cluster["documents"][:articles]]
    path = folder / f"{language}.jsonl"
    path.write_text(json.dumps({"cluster_id": f"{language}-topic", "documents": documents, "references": cluster["references"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, documents


@needs_shared_data
@pytest.mark.parametrize("language", ["ar", "hi"])
def test_a_cluster_in_arabic_or_hindi_gets_a_digest_in_its_language(language, tmp_path):
    source, documents = small_cluster(language, tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(source), "--config", "extractive", "--output", str(out), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert data["language"] == language
    assert data["digest"], "an empty digest for a real cluster"
    assert data["embedder"].startswith("tfidf-char")  # MiniLM knows English only
    sentences = {s for d in documents for s in split_sentences(d["text"], language)}
    for sentence in data["digest"]:
        assert sentence["text"] in sentences  # extractive: whole sentences of the articles
        assert words(sentence["text"], language), sentence["text"]
        assert sentence["sources"] and sentence["doc_id"] in sentence["sources"]
    assert "looks like language" not in result.output and "mixes languages" not in result.output
    page = (out / "digest.html").read_text(encoding="utf-8")
    assert page.startswith(f'<!doctype html>\n<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">')
    assert not any("disagree on were not looked for" in note for note in data["notes"])  # both have a lexicon


GERMAN = [
    "Nach dem schweren Erdbeben in der Region suchen die Rettungskräfte weiter nach Überlebenden. Mindestens 20 Menschen "
    "starben nach Angaben der Behörden, viele Häuser wurden zerstört und Tausende verbrachten die Nacht im Freien.",
    "Die Behörden meldeten am Morgen sieben Tote und Dutzende Verletzte. Die Rettungskräfte arbeiten weiter in den "
    "zerstörten Dörfern, während die Regierung Hilfe aus dem Ausland angefordert hat und Zelte verteilt werden.",
    "Das Erdbeben hatte eine Stärke von 6,1 und erschütterte die Region kurz nach Mitternacht. Viele Menschen "
    "verbrachten die Nacht im Freien, weil sie weitere Nachbeben fürchteten und ihre Häuser beschädigt waren.",
]


def test_a_language_without_a_lexicon_says_in_the_digest_why_no_figures_are_compared(tmp_path):
    source = tmp_path / "de.jsonl"
    documents = [{"doc_id": f"d{i}", "title": "", "text": text} for i, text in enumerate(GERMAN)]
    source.write_text(json.dumps({"cluster_id": "de-quake", "documents": documents}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(source), "--config", "extractive", "--set", "data.language=de", "--set", "fusion.embedder=tfidf", "-o", str(out), "-q"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert data["language"] == "de" and data["conflicts"] == []
    (note,) = [note for note in data["notes"] if "disagree on were not looked for" in note]
    assert "'de'" in note and note in (out / "digest.md").read_text(encoding="utf-8")
