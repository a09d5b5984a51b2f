"""Fusion: per-article summaries in, one deduplicated, attributed digest out.

Steps: split the summaries into candidate sentences (the caller embeds them); link every pair
at or above the similarity threshold and take connected components as groups; keep the medoid
of each group; find which articles back it; rank by support, then by how early the claim
appears; fill the word budget.

Connected components (single link) are chosen over centroid clustering for one guarantee:
two sentences from different groups are always below the threshold, so the digest never holds
two sentences that the threshold calls the same. Pairs are found in row blocks against the rows
after them (each pair once), so memory stays O(n * block) rather than O(n^2); the pairs at or
above the threshold form a sparse graph whose components scipy finds in one vectorised pass.
The pair search is still O(n^2) dot products, done by BLAS: 30,000 sentences take seconds
(``benchmarks/bench_fuse.py``). An exact threshold join in 384 dimensions has no sub-quadratic
shortcut (LSH-style blocking would be approximate and could change the groups).

Support is checked against the full articles, not only their summaries: an outlet backs a claim
when some sentence of its article is at or above the threshold, even if its own summary chose
other sentences. Every article of the claim's group is a source whatever its score, except one
with a sentence that gives a different figure for what the claim counts ("17,000 evacuated"
does not back "around 25,100 evacuated"): similarity is about topic, and that article is listed
under the digest's conflicts instead (:func:`summarizer.conflicts.contradicts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .config import FusionSettings
from .conflicts import contradicts
from .quantities import extract_quantities
from .records import ArticleSummary, DigestSentence, Evidence
from .segment import is_statement, split_sentences, word_count

BLOCK_ROWS = 1024  # rows of the similarity matrix held at once: 1024 x 30,000 float32 = 123 MB


@dataclass(frozen=True)
class Candidate:
    """One sentence of one article (or of its summary), with where it stood."""

    text: str
    doc_id: str
    doc_index: int  # the article's position in the cluster
    position: int  # the sentence's position in its text


def candidates(summaries: Sequence[ArticleSummary], settings: FusionSettings) -> list[Candidate]:
    """Digest material: the statements of each summary (see :func:`is_statement`)."""
    return sentences_of([(s.doc_id, s.summary) for s in summaries], settings)


def sentences_of(texts: Sequence[tuple[str, str]], settings: FusionSettings) -> list[Candidate]:
    """Statements of each (doc_id, text), numbered by article and by position."""
    return [
        Candidate(sentence, doc_id, doc_index, position)
        for doc_index, (doc_id, text) in enumerate(texts)
        for position, sentence in enumerate(split_sentences(text))
        if is_statement(sentence, settings.min_sentence_words)
    ]


def fuse(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    settings: FusionSettings,
    threshold: float,
    corpus: Sequence[Candidate] = (),
    corpus_vectors: np.ndarray | None = None,
) -> list[DigestSentence]:
    """Group, pick, attribute, rank and budget.

    Args:
        cands: candidate sentences from :func:`candidates`.
        vectors: one L2-normalised row per candidate (cosine = dot product).
        settings: word budget and minimum support.
        threshold: cosine at or above which two sentences say the same thing.
        corpus: every statement of the full articles (from :func:`sentences_of`), searched for
            evidence; empty means support comes from the groups alone.
        corpus_vectors: one L2-normalised row per corpus sentence.

    Returns:
        Digest sentences, best supported first, within ``settings.max_words``.
    """
    if len(cands) != vectors.shape[0]:
        raise ValueError(f"{len(cands)} candidates but {vectors.shape[0]} vectors")
    groups = group_similar(vectors, threshold)
    representatives = [_medoid(members, vectors) for members in groups]
    evidence = _best_evidence(vectors[representatives] if groups else vectors[:0], corpus, corpus_vectors)
    order = {c.doc_id: c.doc_index for c in [*corpus, *cands]}
    figures = _sentences_with_figures(corpus)
    ranked = sorted(
        (
            _attribute(members, rep, found, cands, threshold, order, figures)
            for members, rep, found in zip(groups, representatives, evidence)
        ),
        key=lambda pair: pair[0],
    )
    digest: list[DigestSentence] = []
    words = 0
    for _, sentence in ranked:
        length = word_count(sentence.text)
        if sentence.support < settings.min_support or words + length > settings.max_words:
            continue
        digest.append(sentence)
        words += length
    return digest


def group_similar(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Connected components of the graph linking rows with cosine >= threshold.

    Returns groups as sorted index lists, ordered by their first member.
    """
    n = vectors.shape[0]
    if n == 0:
        return []
    rows, cols = [], []
    for start in range(0, n, BLOCK_ROWS):
        block = vectors[start : start + BLOCK_ROWS] @ vectors[start:].T  # this block's rows against themselves and later rows
        row, col = np.nonzero(block >= threshold)
        later = col > row  # each pair once, no self-pairs
        rows.append(row[later] + start)
        cols.append(col[later] + start)
    row, col = np.concatenate(rows), np.concatenate(cols)
    _, labels = connected_components(coo_matrix((np.ones(len(row), dtype=np.int8), (row, col)), shape=(n, n)), directed=False)
    order = np.argsort(labels, kind="stable")  # each component's members, in index order
    groups = [members.tolist() for members in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)]
    return sorted(groups, key=lambda members: members[0])


def _medoid(members: list[int], vectors: np.ndarray) -> int:
    """The member most similar to the rest of its group; ties go to the earliest."""
    if len(members) == 1:
        return members[0]
    block = vectors[members]
    return members[int(np.argmax(np.round((block @ block.T).mean(axis=1), 6)))]


def _best_evidence(queries: np.ndarray, corpus: Sequence[Candidate], corpus_vectors: np.ndarray | None) -> list[dict[str, Evidence]]:
    """For each query row, the best-matching corpus sentence of every article."""
    found: list[dict[str, Evidence]] = [{} for _ in range(queries.shape[0])]
    if not corpus:
        return found
    by_doc: dict[str, list[int]] = {}
    for index, cand in enumerate(corpus):
        by_doc.setdefault(cand.doc_id, []).append(index)
    for doc_id, rows in by_doc.items():
        scores = queries @ corpus_vectors[rows].T
        best = scores.argmax(axis=1)
        for query, column in enumerate(best):
            found[query][doc_id] = Evidence(doc_id, corpus[rows[column]].text, round(float(scores[query, column]), 4))
    return found


def _sentences_with_figures(corpus: Sequence[Candidate]) -> dict[str, list[str]]:
    """Per article, the sentences stating a figure: the only ones that can contradict a claim."""
    by_doc: dict[str, list[str]] = {}
    for cand in corpus:
        if extract_quantities(cand.text):
            by_doc.setdefault(cand.doc_id, []).append(cand.text)
    return by_doc


def _contradicted_by(claim: str, docs: set[str], figures: dict[str, list[str]]) -> set[str]:
    """Those of ``docs`` with a sentence giving a different figure for something the claim counts."""
    if not extract_quantities(claim):  # most claims carry no figure: nothing to contradict
        return set()
    return {doc for doc in docs if any(contradicts(claim, sentence) for sentence in figures.get(doc, ()))}


def _attribute(
    members: list[int],
    rep: int,
    found: dict[str, Evidence],
    cands: Sequence[Candidate],
    threshold: float,
    order: dict[str, int],
    figures: dict[str, list[str]],
) -> tuple[tuple, DigestSentence]:
    """The group's digest sentence with all its sources and evidence, and its rank key.

    The articles of the group always stay sources (their sentences were judged the same claim).
    An article that matches only through evidence backs the claim unless one of its sentences
    gives a different figure for the same thing; that figure shows up among the conflicts.
    """
    group_docs = {cands[m].doc_id for m in members}
    matched = {doc_id for doc_id, ev in found.items() if ev.score >= threshold} - group_docs
    backing = group_docs | (matched - _contradicted_by(cands[rep].text, matched, figures))
    sources = tuple(sorted(backing, key=lambda d: (order.get(d, len(order)), d)))
    evidence = tuple(found[d] for d in sources if d in found)
    earliest = min((cands[m].position, cands[m].doc_index) for m in members)
    sentence = DigestSentence(text=cands[rep].text, sources=sources, doc_id=cands[rep].doc_id, evidence=evidence)
    return (-len(sources), earliest, members[0]), sentence
