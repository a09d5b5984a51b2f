"""Fusion: per-article summaries in, one deduplicated, attributed digest out.

Steps: split the summaries into candidate sentences (the caller embeds them); link every pair
at or above the similarity threshold and take connected components as groups; keep the medoid
of each group; find which articles back it; rank by support, then by how early the claim
appears; fill the word budget.

Connected components (single link) are chosen over centroid clustering for one guarantee:
two sentences from different groups are always below the threshold, so the digest never holds
two sentences that the threshold calls the same. Pairs are found in blocks of rows against
blocks of the rows after them (each pair once), so besides the pairs found, memory stays
O(BLOCK_ROWS * BLOCK_COLUMNS) (:mod:`summarizer.fuse.pairs`) whatever n, never O(n^2) (85 MB at most at 30,000 sentences); the
pairs at or above the threshold form a sparse graph whose components scipy finds in one
vectorised pass. The pair search is O(n^2) dot products, done by BLAS near the machine's
peak: 30,000 sentences group in about 2 s on 2 cores (``benchmarks/bench_fuse.py``). It stays
exact on purpose: candidate pairs from an HNSW index (faiss), checked exactly, took 13 s at
30,000 sentences and missed pairs that changed the groups, and 26 s to find them all. On
384-dimensional vectors such an index does not beat BLAS at these sizes.

Support is checked against the full articles, not only their summaries: an outlet backs a claim
when some sentence of its article is at or above the threshold, even if its own summary chose
other sentences. Every article of the claim's group is a source whatever its score, except one
with a sentence that gives a different figure for what the claim counts ("17,000 evacuated"
does not back "around 25,100 evacuated"): similarity is about topic, and that article is listed
under the digest's conflicts instead (:func:`summarizer.fuse.conflicts.contradicts`). Evidence is
looked up only where it can matter: in the claim's own articles and in the articles with a
sentence near the threshold (found by the same blocked pair search), so its cost does not grow
with claims times articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..config import FusionSettings
from ..text import is_statement, split_sentences, word_count
from ..records import ArticleSummary, DigestSentence, Evidence
from .conflicts import contradicts
from . import pairs
from .pairs import similar_pairs
from .quantities import extract_quantities

EVIDENCE_MARGIN = 1e-3  # articles with a sentence this close below the threshold get their score computed


@dataclass(frozen=True)
class Candidate:
    """One sentence of one article (or of its summary), with where it stood."""

    text: str
    doc_id: str
    doc_index: int  # the article's position in the cluster
    position: int  # the sentence's position in its text


def candidates(summaries: Sequence[ArticleSummary], settings: FusionSettings, language: str = "en") -> list[Candidate]:
    """Digest material: the statements of each summary (see :func:`is_statement`)."""
    return sentences_of([(s.doc_id, s.summary) for s in summaries], settings, language)


def sentences_of(texts: Sequence[tuple[str, str]], settings: FusionSettings, language: str = "en") -> list[Candidate]:
    """Statements of each (doc_id, text) in ``language``, numbered by article and by position."""
    return [
        Candidate(sentence, doc_id, doc_index, position)
        for doc_index, (doc_id, text) in enumerate(texts)
        for position, sentence in enumerate(split_sentences(text, language))
        if is_statement(sentence, settings.min_sentence_words)
    ]


def fuse(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    settings: FusionSettings,
    threshold: float,
    corpus: Sequence[Candidate] = (),
    corpus_vectors: np.ndarray | None = None,
    language: str = "en",
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
        language: the cluster's (ISO 639-1), for reading the figures evidence must state.

    Returns:
        Digest sentences, best supported first, within ``settings.max_words``.
    """
    if len(cands) != vectors.shape[0]:
        raise ValueError(f"{len(cands)} candidates but {vectors.shape[0]} vectors")
    groups = group_similar(vectors, threshold)
    ranked = sorted(_attribute_groups(groups, cands, vectors, threshold, corpus, corpus_vectors, language), key=lambda pair: pair[0])
    digest: list[DigestSentence] = []
    words = 0
    for _, sentence in ranked:
        length = word_count(sentence.text)
        if sentence.support < settings.min_support or words + length > settings.max_words:
            continue
        digest.append(sentence)
        words += length
    return digest


def attribute_all(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    threshold: float,
    corpus: Sequence[Candidate] = (),
    corpus_vectors: np.ndarray | None = None,
    language: str = "en",
) -> list[tuple[tuple, DigestSentence]]:
    """Each candidate as a digest sentence with its sources and evidence, and its rank key, in order.

    For sentences already chosen (:mod:`summarizer.fuse.select`): each is its own group.
    ``language`` is the cluster's, for reading figures.
    """
    return _attribute_groups([[i] for i in range(len(cands))], cands, vectors, threshold, corpus, corpus_vectors, language)


def _attribute_groups(
    groups: list[list[int]],
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    threshold: float,
    corpus: Sequence[Candidate],
    corpus_vectors: np.ndarray | None,
    language: str = "en",
) -> list[tuple[tuple, DigestSentence]]:
    """The digest sentence of each group (its medoid), attributed, with its rank key."""
    representatives = [_medoid(members, vectors) for members in groups]
    group_docs = [{cands[m].doc_id for m in members} for members in groups]
    claims = [cands[rep].text for rep in representatives]
    evidence = _best_evidence(vectors[representatives] if groups else vectors[:0], group_docs, corpus, corpus_vectors, threshold, claims, language)
    order = {c.doc_id: c.doc_index for c in [*corpus, *cands]}
    figures = _FigureSentences(corpus, language)
    return [
        _attribute(members, rep, found, cands, threshold, order, figures)
        for members, rep, found in zip(groups, representatives, evidence)
    ]


def group_similar(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Connected components of the graph linking rows with cosine >= threshold.

    Returns groups as sorted index lists, ordered by their first member.
    """
    n = vectors.shape[0]
    if n == 0:
        return []
    row, col = similar_pairs(vectors, None, threshold)
    _, labels = connected_components(coo_matrix((np.ones(len(row), dtype=np.int8), (row, col)), shape=(n, n)), directed=False)
    order = np.argsort(labels, kind="stable")  # each component's members, in index order
    groups = [members.tolist() for members in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)]
    return sorted(groups, key=lambda members: members[0])


def _medoid(members: list[int], vectors: np.ndarray) -> int:
    """The member most similar to the rest of its group; ties go to the earliest."""
    if len(members) == 1:
        return members[0]
    block = vectors[members]
    rows = max(1, pairs.BLOCK_ROWS * pairs.BLOCK_COLUMNS // len(members))  # one piece up to 4,096 members; a huge group in slices
    means = np.concatenate([(block[start : start + rows] @ block.T).mean(axis=1) for start in range(0, len(members), rows)])
    return members[int(np.argmax(np.round(means, 6)))]


def _best_evidence(
    queries: np.ndarray,
    query_docs: Sequence[set[str]],
    corpus: Sequence[Candidate],
    corpus_vectors: np.ndarray | None,
    threshold: float,
    claims: Sequence[str],
    language: str = "en",
) -> list[dict[str, Evidence]]:
    """For each query row, the best-matching corpus sentence of every article that can count.

    Only a sentence that states the query's claim (``claims``, see :func:`states`) is evidence:
    the best-scoring one of each article, or none from that article.

    Those are the articles of the query's own group (``query_docs``), which are sources whatever
    their score, and the articles with a sentence at or above the threshold (found with a small
    margin, because the score kept is rounded). Other articles could not change the attribution,
    so they are skipped: the cost grows with the pairs near the threshold, not with queries
    times articles. Scores are computed in float64, so they do not depend on how rows are batched.
    """
    found: list[dict[str, Evidence]] = [{} for _ in range(queries.shape[0])]
    if not corpus or not queries.shape[0]:
        return found
    doc_ids = list(dict.fromkeys(cand.doc_id for cand in corpus))
    number = {doc_id: index for index, doc_id in enumerate(doc_ids)}
    doc_of = np.array([number[cand.doc_id] for cand in corpus])
    by_doc = np.argsort(doc_of, kind="stable")  # each article's corpus rows, in corpus order
    rows_of = np.split(by_doc, np.flatnonzero(np.diff(doc_of[by_doc])) + 1)
    near_query, near_row = similar_pairs(queries, corpus_vectors, threshold - EVIDENCE_MARGIN)
    own = [(query, number[doc_id]) for query, docs in enumerate(query_docs) for doc_id in docs if doc_id in number]
    own_query, own_doc = np.array(own, dtype=np.int64).reshape(-1, 2).T
    count = queries.shape[0]
    needed = np.unique(np.concatenate([doc_of[near_row], own_doc]) * count + np.concatenate([near_query, own_query]))
    needed_doc, needed_query = np.divmod(needed, count)  # sorted by article, then query
    for part in np.split(np.arange(len(needed)), np.flatnonzero(np.diff(needed_doc)) + 1):
        if not len(part):
            continue
        rows = rows_of[needed_doc[part[0]]]
        article = corpus_vectors[rows].astype(np.float64)
        doc_id = doc_ids[needed_doc[part[0]]]
        for start in range(0, len(part), pairs.BLOCK_ROWS):
            asked = needed_query[part[start : start + pairs.BLOCK_ROWS]]
            scores = queries[asked].astype(np.float64) @ article.T
            ranked = np.argsort(-scores, axis=1, kind="stable")  # best first; ties go to the earliest sentence
            for line, query in enumerate(asked.tolist()):
                column = next((c for c in ranked[line].tolist() if states(claims[query], corpus[rows[c]].text, language)), None)
                if column is not None:
                    found[query][doc_id] = Evidence(doc_id, corpus[rows[column]].text, round(float(scores[line, column]), 4))
    return found


def states(claim: str, sentence: str, language: str = "en") -> bool:
    """Can ``sentence`` be evidence for ``claim``: does it give the claim's figures, if it has any?

    Similarity measures topic: "around 25,100 evacuated" scores 0.79 against "10,000-15,000
    Americans still to be evacuated". A sentence backs a claim with figures only when it gives
    one of those figures and no different figure for the same thing. Figures are read as
    ``language`` writes them ("1,5 million" is 1.5 million in French).
    """
    claimed = {value for q in extract_quantities(claim, language) for value in (q.low, q.high)}
    if not claimed:
        return True
    given = {value for q in extract_quantities(sentence, language) for value in (q.low, q.high)}
    return bool(claimed & given) and not contradicts(claim, sentence, language)


class _FigureSentences(dict):
    """Per article, the sentences stating a figure: the only ones that can contradict a claim.

    Filled on first use of each article: only the articles that back a claim with a figure
    through evidence are ever asked for, so most sentences never go through the figure parser.
    """

    def __init__(self, corpus: Sequence[Candidate], language: str = "en") -> None:
        super().__init__()
        self.language = language
        self._texts: dict[str, list[str]] = {}
        for cand in corpus:
            self._texts.setdefault(cand.doc_id, []).append(cand.text)

    def __missing__(self, doc_id: str) -> list[str]:
        self[doc_id] = [text for text in self._texts.get(doc_id, ()) if extract_quantities(text, self.language)]
        return self[doc_id]


def _contradicted_by(claim: str, docs: set[str], figures: _FigureSentences) -> set[str]:
    """Those of ``docs`` with a sentence giving a different figure for something the claim counts."""
    if not extract_quantities(claim, figures.language):  # most claims carry no figure: nothing to contradict
        return set()
    return {doc for doc in docs if any(contradicts(claim, sentence, figures.language) for sentence in figures[doc])}


def _attribute(
    members: list[int],
    rep: int,
    found: dict[str, Evidence],
    cands: Sequence[Candidate],
    threshold: float,
    order: dict[str, int],
    figures: _FigureSentences,
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
