"""The on-disk embedding cache: a second run encodes nothing, a damaged entry is recomputed."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from summarizer.config import load_config
from summarizer.errors import OutputError
from summarizer.text import EmbeddingCache, MemoEmbedder, embed, open_embedding_cache
from summarizer.pipeline import run
from tests.text.test_embed_reuse import CLUSTERS, CountingEmbedder, counting  # noqa: F401 (a fixture)

SENTENCES = ["Officials confirmed the new budget on Monday.", "Residents reported the bridge closed.", "Officials confirmed the new budget on Monday."]


class NamedCountingEmbedder(CountingEmbedder):
    identity = "counting v1"  # what makes its vectors cacheable


@pytest.fixture
def cached_counting(counting, monkeypatch):
    """test_embed_reuse's counting embedders, with an identity so their vectors go to disk."""
    monkeypatch.setattr(CountingEmbedder, "identity", "counting v1", raising=False)
    return counting


def test_a_second_run_encodes_no_sentence_and_gives_the_same_digests(cached_counting):
    counting = cached_counting
    config = load_config("extractive", ["fusion.embedder=minilm"])
    first = run(CLUSTERS, config, progress=False)
    second = run(CLUSTERS, config, progress=False)
    assert len(counting) == 2
    assert sum(counting[0].encoded().values()) > 0
    assert sum(counting[1].encoded().values()) == 0
    assert [d.digest for d in first] == [d.digest for d in second]


def test_cache_disabled_stores_nothing_and_encodes_again(cached_counting, tmp_path):
    counting = cached_counting
    config = load_config("extractive", ["fusion.embedder=minilm", "cache.enabled=false", f"cache.folder={tmp_path / 'c'}"])
    run(CLUSTERS, config, progress=False)
    run(CLUSTERS, config, progress=False)
    assert counting[1].encoded() == counting[0].encoded() and counting[0].encoded()
    assert not (tmp_path / "c").exists()


def test_stored_vectors_are_read_back_exactly(tmp_path):
    inner = NamedCountingEmbedder()
    expected = inner.encode(SENTENCES)
    MemoEmbedder(NamedCountingEmbedder(), EmbeddingCache(tmp_path, "counting v1")).encode(SENTENCES)
    later = NamedCountingEmbedder()
    store = EmbeddingCache(tmp_path, "counting v1")
    np.testing.assert_array_equal(MemoEmbedder(later, store).encode(SENTENCES), expected)
    assert later.calls == [] and store.hits == 2  # two distinct sentences


def test_another_identity_does_not_see_the_vectors(tmp_path):
    MemoEmbedder(NamedCountingEmbedder(), EmbeddingCache(tmp_path, "counting v1")).encode(SENTENCES)
    other = NamedCountingEmbedder()
    MemoEmbedder(other, EmbeddingCache(tmp_path, "counting v2")).encode(SENTENCES)
    assert sum(other.encoded().values()) == 2


def test_a_damaged_entry_is_warned_about_recomputed_and_replaced(tmp_path, caplog):
    MemoEmbedder(NamedCountingEmbedder(), EmbeddingCache(tmp_path, "counting v1")).encode(SENTENCES)
    store = EmbeddingCache(tmp_path, "counting v1")
    damaged = store.path(SENTENCES[1])
    damaged.write_text('{"version": 1, "size": 64, "vector": "AAAA"}')
    later = NamedCountingEmbedder()
    with caplog.at_level(logging.WARNING):
        vectors = MemoEmbedder(later, store).encode(SENTENCES)
    assert str(damaged) in caplog.text and "damaged" in caplog.text
    assert later.encoded() == {SENTENCES[1]: 1}
    np.testing.assert_array_equal(vectors, NamedCountingEmbedder().encode(SENTENCES))
    assert EmbeddingCache(tmp_path, "counting v1").get(SENTENCES[1]) is not None  # replaced


@pytest.mark.parametrize("garbage", ["", "not json", '{"size": 64}'])
def test_unreadable_entries_are_misses(tmp_path, caplog, garbage):
    store = EmbeddingCache(tmp_path, "counting v1")
    path = store.path("x")
    path.parent.mkdir(parents=True)
    path.write_text(garbage)
    with caplog.at_level(logging.WARNING):
        assert store.get("x") is None
    assert str(path) in caplog.text


def test_embedders_without_identity_or_stable_vectors_are_not_cached():
    config = load_config("extractive")
    assert open_embedding_cache(config, CountingEmbedder()) is None
    assert open_embedding_cache(config, embed.TfidfEmbedder()) is None
    assert isinstance(open_embedding_cache(config, NamedCountingEmbedder()), EmbeddingCache)


def test_an_unwritable_cache_folder_names_the_folder_and_the_fix(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="--no-cache") as raised:
        EmbeddingCache(blocker / "embeddings", "counting v1")
    assert str(blocker) in str(raised.value)
