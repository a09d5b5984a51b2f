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
