"""The whole pipeline on the seq2seq path, driven by tiny random-weight models built on the spot.

Their text is gibberish; these tests check the structure: every article summarized, the model
recorded, long articles chunked, the digest attributed.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer import Pipeline, clusters, load_articles, load_config
from summarizer.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kabul-2021"


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.parametrize("fixture, prefix", [("tiny_bart", ""), ("tiny_t5", "summarize: ")])
def test_cli_runs_the_seq2seq_path_on_the_example(fixture, prefix, request, tmp_path):
    """digest.json holds, per article, exactly what the model generates for it, and the digest
    the fusion stage makes of those summaries. Gibberish seldom forms a statement (a sentence
    closed by a full stop), so that digest may well be empty: it is compared, not counted."""
    folder = request.getfixturevalue(fixture)
    out = tmp_path / "out"
    overrides = [f"model.name={folder}", f"model.prefix={prefix!r}" if prefix else "model.prefix=''", "model.on_load_failure=error",
                 "length.min_new_tokens=8", "length.max_new_tokens=16", "length.num_beams=1", "fusion.min_sentence_words=1"]
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "-o", str(out), "-q", *(arg for o in overrides for arg in ("--set", o))],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "digest.json").read_text())
    assert data["method"] == "abstractive" and data["model"] == str(folder) and data["fallback"] is None

    config = load_config("default", [*overrides, "cache.enabled=false"])
    (cluster_id, articles), = clusters(load_articles(EXAMPLE, config.data)).items()
    pipeline = Pipeline(config)
    generated = pipeline.summarizer.summarize([a.text for a in articles], progress=False)
    assert [(a["doc_id"], a["summary"], a["chunks"]) for a in data["articles"]] == [
        (article.doc_id, summary, chunks) for article, (summary, chunks) in zip(articles, generated, strict=True)
    ]
    # articles of ~500 words do not fit the tiny BART's 128-token window: they were chunked
    if fixture == "tiny_bart":
        assert all(a["chunks"] > 1 for a in data["articles"])
    expected = json.loads(json.dumps(pipeline.digest(cluster_id, articles, progress=False).to_json()))  # as the file holds it
    assert (data["digest"], data["hallucinations"]) == (expected["digest"], expected["hallucinations"])
    for sentence in data["digest"]:
        assert sentence["sources"] and sentence["doc_id"] in sentence["sources"]


def test_long_article_is_chunked_not_truncated_through_the_pipeline(tiny_bart, tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    paragraph = "The committee met again on Tuesday to discuss the budget for the coming year. " * 10
    (folder / "long.txt").write_text("Long report\n\n" + "\n\n".join([paragraph] * 200))  # 20,000+ words
    (folder / "short.txt").write_text("Short report\n\nThe budget passed on Wednesday after a long debate.")
    config = load_config("default", [f"model.name={tiny_bart}", "model.on_load_failure=error", "length.min_new_tokens=4",
                                     "length.max_new_tokens=8", "length.num_beams=1", "model.batch_size=32"])
    (cluster_id, articles), = clusters(load_articles(folder, config.data)).items()
    assert len(articles[0].text.split()) >= 20000
    digest = Pipeline(config).digest(cluster_id, articles, progress=False)
    long_summary, short_summary = digest.articles
    assert long_summary.chunks > 100 and short_summary.chunks == 1
