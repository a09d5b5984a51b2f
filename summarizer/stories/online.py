"""Online clustering: each article, in date order, joins the story whose centroid it is most like,
or starts a new one (single-pass clustering, as in Google News-style and Miranda et al. 2018).

Centroids are never materialised (a dense centroid of a 1.5-million-column hash space per story
would not fit at 10,000 stories). The cosine of article ``x`` with the centroid ``c = sum of the
story's unit vectors`` is ``x·c / |c|``, and ``x·c`` is the sum of ``x``'s similarities to the
story's members, which one sparse product of the feed with itself gives, a block of rows at a
time. ``|c|²`` is kept per story and updated when an article joins: ``|c + x|² = |c|² + 2 x·c + 1``.

Deviation from Miranda et al.: they learn how to combine per-block similarities (an SVM over
TF-IDF, entity and time features) from labelled streams; here the blocks are weighted inside one
vector (:func:`summarizer.stories.features.tfidf_vectors`) and time enters as a weight on each
member's similarity (:func:`time_weights`), so the one number to choose is the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

from ..config import GroupingSettings

BLOCK_ROWS = 512  # new articles whose similarities are computed in one sparse product


@dataclass(frozen=True)
class Assignment:
    """Story number of every article (row order of the vectors), and how many stories there are."""

    labels: np.ndarray
    stories: int


def assign(
    vectors: sparse.csr_matrix,
    labels: Sequence[int],
    days: np.ndarray,
    languages: np.ndarray,
    settings: GroupingSettings,
) -> Assignment:
    """Give a story to each article after the first ``len(labels)``, which keep theirs.

    Args:
        vectors: unit vectors, one row per article: the already grouped ones first, then the new
            ones in the order they are to be assigned (earliest first).
        labels: story numbers of the already grouped articles (0, 1, ...).
        days: each article's date in days (any origin), NaN where unknown.
        languages: each article's language as a number; an article joins only a story of its
            own language (Miranda et al. cluster each language apart, then link across).
        settings: threshold and date window.

    Returns:
        Every article's story number; new stories are numbered after the existing ones, in the
        order their first article came.
    """
    total, known = vectors.shape[0], len(labels)
    label = np.full(total, -1, dtype=np.int64)
    label[:known] = np.asarray(labels, dtype=np.int64)
    stories = int(label[:known].max()) + 1 if known else 0
    norm2 = _centroid_norms(vectors[:known], label[:known], stories, total)
    for start in range(known, total, BLOCK_ROWS):
        end = min(start + BLOCK_ROWS, total)
        similar = (vectors[start:end] @ vectors[:end].T).tocsr()
        for offset in range(end - start):
            row = start + offset
            lo, hi = similar.indptr[offset], similar.indptr[offset + 1]
            cols, sims = similar.indices[lo:hi], similar.data[lo:hi]
            same = (cols < row) & (languages[cols] == languages[row])
            cols, sims = cols[same], sims[same]
            timed = sims * time_weights(days[row], days[cols], settings)
            best, score = _best_story(label[cols], timed, norm2, stories)
            if score < settings.threshold:
                best, stories = stories, stories + 1
                dot = 0.0
            else:
                dot = float(sims[label[cols] == best].sum())
            label[row] = best
            norm2[best] += 2.0 * dot + 1.0
    return Assignment(label, stories)


def _centroids(vectors: sparse.csr_matrix, labels: np.ndarray, stories: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Each story's centroid (the sum of its members' unit vectors) and its ``|c|²``."""
    members = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))), shape=(stories, len(labels)))
    centroids = (members @ vectors).tocsr()
    return centroids, np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel()


def _centroid_norms(vectors: sparse.csr_matrix, labels: np.ndarray, stories: int, capacity: int) -> np.ndarray:
    """``|c|²`` of each already known story, in an array with room for as many stories as there
    are articles."""
    norm2 = np.zeros(capacity + 1)
    if stories:
        norm2[:stories] = _centroids(vectors, labels, stories)[1]
    return norm2


def _best_story(member_labels: np.ndarray, sims: np.ndarray, norm2: np.ndarray, stories: int) -> tuple[int, float]:
    """The story with the highest centroid cosine (its members' similarities already weighted
    by time), and that cosine; (-1, 0.0) when the article shares no term with any earlier one.
    Ties go to the older story."""
    if not len(sims) or not stories:
        return -1, 0.0
    dots = np.bincount(member_labels, weights=sims, minlength=stories)
    candidates = np.flatnonzero(dots > 0)
    if not len(candidates):
        return -1, 0.0
    scores = dots[candidates] / np.sqrt(norm2[candidates])
    pick = int(np.argmax(scores))  # the first maximum: the lowest story number
    return int(candidates[pick]), float(scores[pick])


def time_weights(day: float, member_days: np.ndarray, settings: GroupingSettings) -> np.ndarray:
    """How much each earlier article's similarity counts towards its story's, by how far apart
    in time the two are: 1 within ``date_window_days``, decaying by e every ``date_scale_days``
    beyond; 1 when either date is unknown.

    Weighting each member, rather than penalising the gap to the span of the story's dates,
    stops chaining: with a span, a story that a second event joined once spans both, and every
    later article of either event falls inside it unpenalised. Three DUC 2003 topics of autumn
    1998 (Egypt mediating between Turkey and Syria, their deal a few weeks later, Turkey's
    government falling in late November) became one story that way. A story that goes on for
    weeks still takes a new report, through its recent members.
    """
    gap = np.nan_to_num(np.abs(member_days - day), nan=0.0)
    return np.exp(-np.maximum(gap - settings.date_window_days, 0.0) / settings.date_scale_days)


def refine(vectors: sparse.csr_matrix, labels: np.ndarray, known: int, languages: np.ndarray, settings: GroupingSettings, rounds: int = 5) -> Assignment:
    """Move each new article (rows from ``known`` on) to the story whose centroid, without it,
    it is most like, when that beats its own: a few k-means rounds that undo the single pass's
    order effects (an early article that started a story of its own before its story's articles
    came). The bar is ``settings.move_threshold``, below the pass's: by now each story's centroid
    holds its reports, and an article the pass left alone can be matched against them. Articles
    of earlier runs never move, so neither do their stories' ids.

    Returns the labels renumbered so that stories left empty disappear; stories keep the order
    of their first article.
    """
    labels = labels.copy()
    for _ in range(rounds):
        stories = int(labels.max()) + 1
        centroids, norm2 = _centroids(vectors, labels, stories)
        story_language = np.zeros(stories, dtype=np.int64)
        story_language[labels] = languages
        dots = (vectors[known:] @ centroids.T).toarray()  # new articles x stories
        rows = np.arange(known, len(labels))
        own = labels[known:]
        own_dot = dots[np.arange(len(rows)), own] - 1.0  # the article's own unit vector removed
        own_norm = np.sqrt(np.maximum(norm2[own] - 2.0 * dots[np.arange(len(rows)), own] + 1.0, 0.0))
        scores = dots / np.sqrt(np.maximum(norm2, 1e-12))[None, :]
        scores[np.arange(len(rows)), own] = np.where(own_norm > 1e-6, own_dot / np.maximum(own_norm, 1e-6), 0.0)
        scores[languages[known:, None] != story_language[None, :]] = 0.0
        best = np.argmax(scores, axis=1)
        top = scores[np.arange(len(rows)), best]
        move = (best != own) & (top >= settings.move_threshold) & (top > scores[np.arange(len(rows)), own])
        if not move.any():
            break
        labels[rows[move]] = best[move]
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)  # story numbers by first article
    renumber = np.empty(int(labels.max()) + 1, dtype=np.int64)
    renumber[np.unique(labels)[order]] = np.arange(len(order))
    return Assignment(renumber[labels], len(order))
