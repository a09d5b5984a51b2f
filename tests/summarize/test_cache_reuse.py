"""The per-article summary cache with a real (tiny) seq2seq model: never summarize twice.

Counts the backend's generate calls: a second run over the same cluster makes none, one new
article costs one input, and anything a summary depends on (length, engine) gives new keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import validate_config
from summarizer.records import Article
from summarizer.summarize.cache import open_cache
from summarizer.summarize.seq2seq import Seq2SeqSummarizer
from summarizer.summarize.stage import summarize
from tests.summarize.test_seq2seq import ARTICLES

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def run(folder: Path, converted: Path, articles: list[Article], **settings: dict) -> tuple[list[str], int]:
    """Summaries of ``articles`` through the cache, and how many inputs reached the backend."""
    config = validate_config({
        "model": {"name": str(folder), "converted_folder": str(converted), **settings.get("model", {})},
        "length": {"min_new_tokens": 4, "max_new_tokens": 8, "num_beams": 1, **settings.get("length", {})},
    })
    summarizer = Seq2SeqSummarizer(config.model, config.length)
    generated: list[int] = []
    generate = summarizer.backend.generate
    summarizer.backend.generate = lambda batch, max_new_tokens=None: generated.append(len(batch)) or generate(batch, max_new_tokens)
    cache = open_cache(config, summarizer.name, summarizer.method, summarizer.engine)
    summaries = summarize(articles, summarizer, progress=False, cache=cache, batch_size=4)
    return [s.summary for s in summaries], sum(generated)


def articles(count: int) -> list[Article]:
    return [Article(cluster_id="c", doc_id=f"a{i}", title="", text=text) for i, text in enumerate(ARTICLES[:count])]


def test_second_run_generates_nothing_and_a_new_article_costs_one(tiny_bart: Path, converted: Path) -> None:
    first, calls = run(tiny_bart, converted, articles(4))
    assert calls == 4

    again, calls = run(tiny_bart, converted, articles(4))
    assert (again, calls) == (first, 0)

    grown, calls = run(tiny_bart, converted, articles(5))
    assert calls == 1 and grown[:4] == first


def test_length_backend_and_precision_changes_recompute(tiny_bart: Path, converted: Path) -> None:
    run(tiny_bart, converted, articles(3))
    assert run(tiny_bart, converted, articles(3))[1] == 0
    assert run(tiny_bart, converted, articles(3), length={"max_new_tokens": 9})[1] == 3
    assert run(tiny_bart, converted, articles(3), length={"no_repeat_ngram_size": 2})[1] == 3
    assert run(tiny_bart, converted, articles(3), model={"backend": "transformers"})[1] == 3
    assert run(tiny_bart, converted, articles(3), model={"quantization": "none"})[1] == 3
    assert run(tiny_bart, converted, articles(3), model={"quantization": "none"})[1] == 0
