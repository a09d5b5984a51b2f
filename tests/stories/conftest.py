"""A small mixed feed from the development data: Kabul articles and MultiLing clusters in
English and French, shuffled, with each article's true story (never DUC text)."""

from __future__ import annotations

import json
import random

import pytest

from summarizer.data import clusters, load_articles
from summarizer.records import Article

from ..shared_data import KABUL, MULTILING, SHARED_DATA

FRENCH = SHARED_DATA / "multiling2011-fr" / "clusters.jsonl"


def _multiling(path, language: str, topics: int, per_topic: int) -> list[tuple[Article, str]]:
    rows = []
    for record in list(map(json.loads, path.open(encoding="utf-8")))[:topics]:
        for doc in record["documents"][:per_topic]:
            rows.append((Article("feed", f"{language}-{doc['doc_id']}", doc["title"], doc["text"]), record["cluster_id"]))
    return rows


@pytest.fixture(scope="module")
def feed() -> tuple[list[Article], dict[str, str]]:
    """41 articles: 5 Kabul, 4 English and 2 French MultiLing topics of 6 articles each (tests using it carry ``needs_shared_data``)."""
    (kabul,) = clusters(load_articles(KABUL)).values()
    rows = [(a, "kabul") for a in kabul] + _multiling(MULTILING, "en", 4, 6) + _multiling(FRENCH, "fr", 2, 6)
    random.Random(0).shuffle(rows)
    return [a for a, _ in rows], {a.doc_id: truth for a, truth in rows}
