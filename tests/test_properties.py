"""Property tests (hypothesis) on the two stages that see the most arbitrary input: the data
wrapper (any text, any bytes, empty and huge strings, any mix of duplicates) and fusion (never
drops a source, never repeats itself, deterministic). Vectors are synthetic, so no model loads.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarizer.config import DataSettings, FusionSettings
from summarizer.data.clean import clean_text
from summarizer.data.load import load_articles
from summarizer.errors import InputError
from summarizer.fuse.merge import Candidate, fuse, group_similar
from tests.fuse.test_merge import _every_article_evidence

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NO_CHECKS = DataSettings(language=None)  # the language warning is tested elsewhere; it never drops rows


def _key(text: str) -> str:
    """How the data stage recognises two articles as the same (whitespace and case folded)."""
    return " ".join(clean_text(text).split()).lower()


# --- the data wrapper ------------------------------------------------------------------------

texts = st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "\n\n", "\x00", "Same story.", "same   STORY."]))


@PROPERTY
@given(st.lists(texts, max_size=12))
@example(["A" * 200_000])  # one huge single-word string
@example(["word " * 30_000, "word " * 30_000])  # two huge duplicates, over the word limit
def test_jsonl_rows_keep_every_distinct_nonempty_article_once_in_order(items):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.jsonl"
        path.write_text("\n".join(json.dumps({"doc_id": f"d{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(items)), encoding="utf-8")
        expected: dict[str, str] = {}
        for i, text in enumerate(items):
            if _key(text):
                expected.setdefault(_key(text), f"d{i}")
        try:
            dataset = load_articles(path, NO_CHECKS)
        except InputError:
            assert not expected or all(not t.strip() for t in items)
            return
        assert dataset["doc_id"] == list(expected.values())
        assert all(text and text == text.strip() for text in dataset["text"])
        assert all(len(text.split()) <= NO_CHECKS.max_article_words for text in dataset["text"])


@PROPERTY
@given(st.lists(st.binary(max_size=400), min_size=1, max_size=6))
def test_any_bytes_in_a_folder_give_rows_or_one_input_error(blobs):
    with tempfile.TemporaryDirectory() as folder:
        for i, blob in enumerate(blobs):
            (Path(folder) / f"{i:02d}.txt").write_bytes(blob)
        try:
            dataset = load_articles(folder, NO_CHECKS)
        except InputError as exc:
            assert str(exc).startswith(folder)
            return
        assert set(dataset["doc_id"]) <= {f"{i:02d}" for i in range(len(blobs))}
        assert all(text.strip() and "\x00" not in text for text in dataset["text"])


# --- fusion ----------------------------------------------------------------------------------

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


@st.composite
def clusters(draw):
    """Candidates from a few articles whose vectors are noisy copies of a few claims.

    Identical vectors get identical texts (a duplicated sentence), different vectors different
    texts, so a text names its vector. No figures in the texts: fusion's figure check is a
    separate feature with its own tests.
    """
    seed = draw(st.integers(0, 2**32 - 1))
    claims = draw(st.integers(1, 5))
    rows = draw(st.lists(st.tuples(st.integers(0, claims - 1), st.integers(0, 5)), max_size=30))  # (claim, article)
    copies = draw(st.lists(st.integers(0, 29), max_size=8))  # rows duplicated exactly
    noise = draw(st.sampled_from([0.0, 0.05, 0.3, 1.0]))
    threshold = draw(st.floats(0.3, 0.95))
    rng = np.random.default_rng(seed)
    bases = rng.normal(size=(claims, 6))
    vectors = [bases[c] + noise * rng.normal(size=6) for c, _ in rows]
    docs = [f"doc-{WORDS[a]}" for _, a in rows]
    for i in copies:
        if i < len(rows):
            vectors.append(vectors[i].copy())
            docs.append(docs[(i + 1) % len(docs)])
    matrix = np.array(vectors, dtype=np.float32).reshape(-1, 6)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    names: dict[bytes, str] = {}
    for row in matrix:
        names.setdefault(row.tobytes(), f"Claim {WORDS[len(names) % 10]} {WORDS[len(names) // 10 % 10]} says the wire service today.")
    order = {doc: i for i, doc in enumerate(dict.fromkeys(docs))}
    cands = [Candidate(names[row.tobytes()], doc, order[doc], i) for i, (row, doc) in enumerate(zip(matrix, docs))]
    with_corpus = draw(st.booleans())
    return cands, matrix, threshold, with_corpus


BIG_BUDGET = FusionSettings(max_words=10_000)


@PROPERTY
@given(clusters())
def test_fusion_never_drops_a_source_never_repeats_and_is_deterministic(cluster):
    cands, vectors, threshold, with_corpus = cluster
    corpus = cands if with_corpus else ()
    corpus_vectors = vectors if with_corpus else None
    digest = fuse(cands, vectors, BIG_BUDGET, threshold, corpus, corpus_vectors)

    # deterministic: same input (fresh copies), same output
    assert digest == fuse(list(cands), vectors.copy(), BIG_BUDGET, threshold, corpus, None if corpus_vectors is None else corpus_vectors.copy())

    # never drops a source: each group's sentence names every article of the group
    vector_of = {c.text: vectors[i] for i, c in enumerate(cands)}
    by_text = {s.text: s for s in digest}
    groups = group_similar(vectors, threshold)
    assert len(digest) == len(groups)
    for members in groups:
        found = [by_text[text] for text in dict.fromkeys(cands[m].text for m in members) if text in by_text]
        assert len(found) == 1, "each group gives exactly one digest sentence"
        assert {cands[m].doc_id for m in members} <= set(found[0].sources)
        assert found[0].doc_id in {cands[m].doc_id for m in members}
    assert {c.doc_id for c in cands} <= {d for s in digest for d in s.sources}

    # never repeats itself: no two digest sentences at or above the threshold
    if len(digest) > 1:
        chosen = np.stack([vector_of[s.text] for s in digest])
        similarity = chosen @ chosen.T
        np.fill_diagonal(similarity, -1.0)
        assert similarity.max() < threshold + 1e-5


@PROPERTY
@given(clusters(), st.integers(1, 5))
def test_fusion_looks_up_evidence_only_where_it_can_count(cluster, shift):
    """Evidence searched near the threshold gives the digest that evidence from every article gives."""
    cands, vectors, threshold, _ = cluster
    docs = sorted({c.doc_id for c in cands})
    moved = [Candidate(f"{c.text} Again.", docs[(docs.index(c.doc_id) + shift) % len(docs)], 0, c.position + 100) for c in cands]
    corpus = [*cands, *moved]  # each article also holds other articles' claims, rotated
    corpus_vectors = np.concatenate([vectors, np.roll(vectors, shift, axis=0)])
    digest = fuse(cands, vectors, BIG_BUDGET, threshold, corpus, corpus_vectors)
    with patch("summarizer.fuse.merge._best_evidence", _every_article_evidence):
        assert digest == fuse(cands, vectors, BIG_BUDGET, threshold, corpus, corpus_vectors)


@pytest.mark.parametrize("n", [0, 1])
def test_fusion_of_nothing_or_one_sentence(n):
    cands = [Candidate("Only claim bravo says the wire service today.", "doc-a", 0, 0)][:n]
    vectors = np.ones((n, 3), dtype=np.float32) / np.sqrt(3)
    digest = fuse(cands, vectors, BIG_BUDGET, 0.5)
    assert [s.sources for s in digest] == [("doc-a",)] * n
