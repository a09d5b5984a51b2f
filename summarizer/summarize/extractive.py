"""Per-article summaries that need no seq2seq model: LexRank centrality and the lead baseline.

LexRank (Erkan & Radev, 2004) scores each sentence by its PageRank in the graph of sentence
similarities. Deviations from the paper: similarities come from sentence embeddings instead of
idf-modified cosine over words, edges keep their weight above a threshold (the paper's
"continuous LexRank" with a cut), the chosen sentences skip near-repeats of one another,
because quoted speech is often repeated verbatim inside one article, and a sentence that opens
with a pronoun ("He said ...") is taken only when no other candidate is left, because out of its
article nobody knows who "he" is.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from ..config import LengthSettings
from ..text import Embedder, is_statement, split_sentences

EDGE_THRESHOLD = 0.1  # cosine below which two sentences are not linked (LexRank paper: 0.1)
DAMPING = 0.85  # PageRank damping factor
REPEAT_THRESHOLD = 0.85  # a candidate this similar to a chosen sentence is a repeat
MIN_WORDS = 5  # shorter sentences (datelines, fragments) are never summary sentences
# Openings whose referent lies in an earlier sentence of the article.
_DANGLING_OPENING = re.compile(r"^[\"“']?(he|she|they|it|his|her|their|its|this|that|these|those)\b", re.IGNORECASE)
MAX_ITERATIONS = 100
TOLERANCE = 1e-6


def body_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences that can stand in a summary (see :func:`is_statement`), in order."""
    return [s for s in split_sentences(text, language) if is_statement(s, MIN_WORDS)]


def lexrank_scores(vectors: np.ndarray) -> np.ndarray:
    """PageRank centrality of each row in the thresholded cosine-similarity graph."""
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = vectors @ vectors.T
    np.fill_diagonal(weights, 0.0)
    weights[weights < EDGE_THRESHOLD] = 0.0
    row_sums = weights.sum(axis=1, keepdims=True)
    # an isolated sentence links to every sentence equally, so the chain stays stochastic
    transition = np.where(row_sums > 0, weights / np.where(row_sums > 0, row_sums, 1.0), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        updated = (1 - DAMPING) / n + DAMPING * transition.T @ scores
        if np.abs(updated - scores).sum() < TOLERANCE:
            return updated
        scores = updated
    return scores


#: Articles per call when batched; any size gives the same summaries (each article is its own).
BATCH_SIZE = 64


class ExtractiveSummarizer:
    """Keeps the most central sentences of each article, in their original order."""

    method = "extractive"
    engine = ""  # no model: never cached, so no engine in a cache key
    languages = None  # no trained model: nothing to warn about here
    batch_size = BATCH_SIZE

    def __init__(self, length: LengthSettings, embedder: Callable[[str], Embedder]):
        """``embedder`` gives the embedder of a language; the name is the English one's."""
        self.sentences = length.resolved_sentences
        self.embedder = embedder
        self.name = f"lexrank({embedder('en').name})"

    def summarize(self, texts: Sequence[str], progress: bool = True, language: str = "en") -> list[tuple[str, int]]:
        del progress  # fast enough to need no bar: one embedding call per article
        embedder = self.embedder(language)
        return [(self._summarize_one(text, embedder, language), 1 if text.strip() else 0) for text in texts]

    def _summarize_one(self, text: str, embedder: Embedder, language: str) -> str:
        candidates = body_sentences(text, language)
        if len(candidates) <= self.sentences:
            return " ".join(candidates)
        vectors = embedder.encode(candidates)
        ranked = np.argsort(-lexrank_scores(vectors), kind="stable")
        # stable: self-contained sentences first, each part still in centrality order
        ranked = sorted(ranked, key=lambda i: bool(_DANGLING_OPENING.match(candidates[i])))
        chosen: list[int] = []
        for index in ranked:
            if all(float(vectors[index] @ vectors[j]) < REPEAT_THRESHOLD for j in chosen):
                chosen.append(int(index))
            if len(chosen) == self.sentences:
                break
        return " ".join(candidates[i] for i in sorted(chosen))


class LeadSummarizer:
    """The lead baseline: the first sentences of each article (hard to beat on news)."""

    method = "lead"
    name = "lead"
    engine = ""  # no model: never cached, so no engine in a cache key
    languages = None  # no trained model: nothing to warn about here
    batch_size = BATCH_SIZE

    def __init__(self, length: LengthSettings):
        self.sentences = length.resolved_sentences

    def summarize(self, texts: Sequence[str], progress: bool = True, language: str = "en") -> list[tuple[str, int]]:
        del progress
        return [(" ".join(body_sentences(text, language)[: self.sentences]), 1 if text.strip() else 0) for text in texts]
