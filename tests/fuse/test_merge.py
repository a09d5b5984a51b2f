"""Fusion: grouping, attribution, ranking and the word budget."""

import numpy as np
import pytest

from summarizer.config import FusionSettings
from summarizer.text.embed import MiniLMEmbedder, TfidfEmbedder
from summarizer.fuse.merge import (
    Candidate,
    _medoid,
    candidates,
    fuse,
    group_similar,
    sentences_of,
    states,
)
from summarizer.fuse.pairs import similar_pairs
from summarizer.records import ArticleSummary, Evidence

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
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", 7)
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


@pytest.mark.parametrize("block, columns", [(7, 5), (64, 100), (4096, 16384)])
def test_scaled_grouping_equals_the_simple_path_on_random_clustered_data(monkeypatch, block, columns):
    rng = np.random.default_rng(block)
    centers = rng.normal(size=(60, 32))
    vectors = _unit(*(centers[rng.integers(0, 60, 300)] + 0.5 * rng.normal(size=(300, 32))))
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", block)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_COLUMNS", columns)
    expected = _simple_groups(vectors, 0.8)
    assert group_similar(vectors, 0.8) == expected
    assert 60 <= len(expected) < 300 and max(map(len, expected)) > 2  # real groups, some chained


def test_group_similar_of_nothing_is_empty():
    assert group_similar(np.zeros((0, 3), dtype=np.float32), 0.5) == []


def _clustered(n, seed, dim=32, noise=0.5):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(max(n // 4, 1), dim))
    return _unit(*(centers[rng.integers(0, len(centers), n)] + noise * rng.normal(size=(n, dim))))


@pytest.mark.parametrize("block, columns", [(7, 5), (50, 64), (1024, 16384)])
def test_similar_pairs_between_two_sets_equals_the_whole_matrix(monkeypatch, block, columns):
    vectors = _clustered(500, 1)
    queries, base = vectors[:130], vectors[130:]
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", block)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_COLUMNS", columns)
    rows, cols = similar_pairs(queries, base, 0.8)
    expected = np.argwhere(queries @ base.T >= 0.8)
    assert sorted(zip(rows.tolist(), cols.tolist())) == sorted(map(tuple, expected.tolist()))
    assert len(expected) > 50  # real pairs


def _every_article_evidence(queries, query_docs, corpus, corpus_vectors, threshold, claims, language="en"):
    """Reference for _best_evidence: the best sentence stating the claim, of every article, for every query."""
    found = [{} for _ in range(queries.shape[0])]
    by_doc = {}
    for index, cand in enumerate(corpus):
        by_doc.setdefault(cand.doc_id, []).append(index)
    for doc_id, rows in by_doc.items():
        scores = queries.astype(np.float64) @ corpus_vectors[rows].astype(np.float64).T
        for query in range(queries.shape[0]):
            stating = [k for k in range(len(rows)) if states(claims[query], corpus[rows[k]].text, language)]
            if stating:
                column = max(stating, key=lambda k: (scores[query, k], -k))
                found[query][doc_id] = Evidence(doc_id, corpus[rows[column]].text, round(float(scores[query, column]), 4))
    return found


def _cluster_with_articles(n, seed, threshold):
    """``n`` candidates, five per article, and each article's ten sentences: its five summary
    sentences slightly reworded (so some score below the threshold) and five more."""
    vectors = _clustered(2 * n, seed)
    rng = np.random.default_rng(seed + 1)
    reworded = _unit(*(vectors[:n] + 0.25 * rng.normal(size=vectors[:n].shape)))
    corpus_vectors = np.concatenate([reworded, vectors[n:]])
    corpus = [Candidate(f"Sentence {i} of article {i % n // 5} is here.", f"d{i % n // 5}", i % n // 5, i // n * 5 + i % 5) for i in range(2 * n)]
    return corpus[:n], vectors[:n], corpus, corpus_vectors


def test_evidence_only_where_it_counts_gives_the_digest_of_evidence_from_every_article(monkeypatch):
    threshold = 0.8
    cands, vectors, corpus, corpus_vectors = _cluster_with_articles(600, 3, threshold)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", 3)  # an article's claims scored a few at a time too
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_COLUMNS", 100)
    digest = fuse(cands, vectors, SETTINGS, threshold, corpus, corpus_vectors)
    monkeypatch.setattr("summarizer.fuse.merge._best_evidence", _every_article_evidence)
    assert digest == fuse(cands, vectors, SETTINGS, threshold, corpus, corpus_vectors)
    # the data exercises both kinds of evidence: sources found only through the articles, and
    # group articles whose best sentence is below the threshold (kept whatever their score)
    everything = fuse(cands, vectors, FusionSettings(max_words=100_000), threshold, corpus, corpus_vectors)
    group_docs = {cands[m].text: {cands[k].doc_id for k in members} for members in group_similar(vectors, threshold) for m in members}
    assert any(set(s.sources) - group_docs[s.text] for s in everything)
    assert any(e.score < threshold and e.doc_id in group_docs[s.text] for s in everything for e in s.evidence)


def test_an_article_whose_score_rounds_up_to_the_threshold_backs_the_claim():
    """Scores are kept to 4 decimals and compared after rounding: 0.89997 counts at 0.9."""
    cands = _cands(("The bridge reopened on Friday.", "a", 0, 0))
    cosine = 0.89997
    corpus = _cands(("The bridge reopened on Friday.", "a", 0, 0), ("Traffic crossed the bridge again.", "b", 1, 3), ("Unrelated weather.", "c", 2, 0))
    corpus_vectors = _unit([1, 0, 0], [cosine, np.sqrt(1 - cosine**2), 0], [0, 0, 1])
    digest = fuse(cands, corpus_vectors[:1], SETTINGS, 0.9, corpus, corpus_vectors)
    assert digest[0].sources == ("a", "b")
    assert digest[0].evidence[1].score == 0.9


def test_medoid_of_a_group_in_slices_equals_the_whole_group(monkeypatch):
    vectors = _clustered(300, 5, noise=1.5)
    members = list(range(0, 300, 2))
    whole = _medoid(members, vectors)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", 3)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_COLUMNS", 20)  # 60 // 150 members: slices of one row
    assert _medoid(members, vectors) == whole
    assert whole != members[0]  # not the tie-break default
