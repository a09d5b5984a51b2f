"""Fusion: grouping, attribution, ranking and the word budget."""

import numpy as np
import pytest

from summarizer.config import FusionSettings
from summarizer.embed import MiniLMEmbedder, TfidfEmbedder
from summarizer.fuse import Candidate, candidates, fuse, group_similar, sentences_of
from summarizer.records import ArticleSummary

SETTINGS = FusionSettings(max_words=1000)


def _unit(*rows):
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _cands(*specs):
    return [Candidate(text, doc, index, pos) for text, doc, index, pos in specs]


def test_group_similar_links_transitively_and_keeps_unrelated_apart():
    vectors = _unit([1, 0, 0], [0.95, 0.31, 0], [0.8, 0.6, 0], [0, 0, 1])
    assert group_similar(vectors, 0.9) == [[0, 1, 2], [3]]
    assert group_similar(vectors, 0.99) == [[0], [1], [2], [3]]


def test_group_similar_in_blocks_equals_one_block(monkeypatch):
    rng = np.random.default_rng(0)
    vectors = _unit(*rng.normal(size=(50, 3)))
    whole = group_similar(vectors, 0.95)
    monkeypatch.setattr("summarizer.fuse.BLOCK_ROWS", 7)
    assert group_similar(vectors, 0.95) == whole


def test_paraphrases_from_two_articles_become_one_sentence_with_both_sources():
    cands = _cands(("Seven died at the gate.", "a", 0, 0), ("Seven people died at the gates.", "b", 1, 0), ("The G7 will meet on Tuesday.", "b", 1, 1))
    vectors = _unit([1, 0.1, 0], [1, 0.12, 0], [0, 0, 1])
    digest = fuse(cands, vectors, SETTINGS, threshold=0.9)
    assert [(s.text, s.sources) for s in digest] == [("Seven died at the gate.", ("a", "b")), ("The G7 will meet on Tuesday.", ("b",))]


def test_ranking_is_support_first_then_position():
    cands = _cands(("Early single claim here.", "a", 0, 0), ("Late shared claim here.", "a", 0, 3), ("Late shared claim again.", "b", 1, 2))
    vectors = _unit([1, 0], [0, 1], [0, 1])
    assert [s.text for s in fuse(cands, vectors, SETTINGS, 0.9)][0].startswith("Late shared")


def test_budget_and_min_support():
    cands = _cands(("one two three four five", "a", 0, 0), ("six seven eight nine ten eleven", "a", 0, 1), ("alpha beta gamma delta", "b", 1, 0))
    vectors = _unit([1, 0, 0], [0, 1, 0], [0, 0, 1])
    assert [s.text for s in fuse(cands, vectors, FusionSettings(max_words=10), 0.9)] == ["one two three four five", "alpha beta gamma delta"]
    assert fuse(cands, vectors, FusionSettings(min_support=2), 0.9) == []


def test_corpus_evidence_adds_sources_and_records_best_sentence():
    cands = _cands(("The ship was freed on Monday.", "a", 0, 0))
    corpus = _cands(("The ship was freed on Monday.", "a", 0, 0), ("Tugs freed the vessel on Monday.", "b", 1, 4), ("Oil prices fell.", "b", 1, 5), ("Unrelated weather.", "c", 2, 0))
    corpus_vectors = _unit([1, 0, 0], [0.97, 0.24, 0], [0, 1, 0], [0, 0, 1])
    digest = fuse(cands, corpus_vectors[:1], SETTINGS, 0.9, corpus, corpus_vectors)
    sentence = digest[0]
    assert sentence.sources == ("a", "b")
    assert [(e.doc_id, e.sentence) for e in sentence.evidence] == [("a", "The ship was freed on Monday."), ("b", "Tugs freed the vessel on Monday.")]
    assert sentence.evidence[1].score == pytest.approx(0.97, abs=0.01)


def test_candidates_keep_statements_only():
    summaries = [ArticleSummary("a", "", "What do we know? The Taliban entered Kabul on Sunday. Short one. Panjshir holds out"), ArticleSummary("b", "", "")]
    assert [c.text for c in candidates(summaries, FusionSettings())] == ["The Taliban entered Kabul on Sunday."]


def test_real_embeddings_merge_paraphrases_and_keep_unrelated_apart():
    """The issue's acceptance case, with the packaged MiniLM model and its default threshold."""
    embedder = MiniLMEmbedder()
    cands = sentences_of([
        ("a", "At least seven Afghans died in a crush at Kabul airport on Sunday. Oil prices rose sharply in Asian trading."),
        ("b", "Seven Afghans were killed in a stampede at Kabul's airport on Sunday, Britain said."),
    ], FusionSettings())
    digest = fuse(cands, embedder.encode([c.text for c in cands]), SETTINGS, embedder.default_threshold)
    assert len(digest) == 2
    assert digest[0].sources == ("a", "b") and "Kabul" in digest[0].text
    assert digest[1].sources == ("a",) and "Oil" in digest[1].text


def test_tfidf_embedder_rows_are_unit_length_and_handle_stop_words_only():
    vectors = TfidfEmbedder().encode(["The ship was freed.", "The ship is free again."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert TfidfEmbedder().encode(["the of and", "a the"]).shape[0] == 2


def _simple_groups(vectors, threshold):
    """Reference for group_similar: the whole similarity matrix and a plain union-find."""
    similar = vectors @ vectors.T >= threshold
    parent = list(range(len(vectors)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(similar)):
        parent[max(find(i), find(j))] = min(find(i), find(j))
    groups = {}
    for i in range(len(vectors)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda members: members[0])


@pytest.mark.parametrize("block", [7, 64, 4096])
def test_scaled_grouping_equals_the_simple_path_on_random_clustered_data(monkeypatch, block):
    rng = np.random.default_rng(block)
    centers = rng.normal(size=(60, 32))
    vectors = _unit(*(centers[rng.integers(0, 60, 300)] + 0.5 * rng.normal(size=(300, 32))))
    monkeypatch.setattr("summarizer.fuse.BLOCK_ROWS", block)
    expected = _simple_groups(vectors, 0.8)
    assert group_similar(vectors, 0.8) == expected
    assert 60 <= len(expected) < 300 and max(map(len, expected)) > 2  # real groups, some chained


def test_group_similar_of_nothing_is_empty():
    assert group_similar(np.zeros((0, 3), dtype=np.float32), 0.5) == []
