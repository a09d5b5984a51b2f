"""Paraphrases that the embedding's cosine misses: the same claim in other words, or other spellings.

On the Kabul articles, "The Taliban stated that "hundreds" of its fighters are heading to the
Panjshir Valley" and ""Hundreds of mujahedin ... are heading to Panchir state"" score 0.64 with
MiniLM, below the 0.7 at which the selection calls two sentences the same, so both reached the
digest. Their words say it: of the shorter one's content words, half or more are the other's
("hundreds", "heading", "Taliban", "stated"/"state", "control"), once the transliterations of one
name ("Panjshir", "Panchir") count as one word.

A pair counts as the same claim when its cosine reaches :data:`NEAR_COSINE` (a related topic) and
their content words overlap by :data:`MIN_OVERLAP` of the shorter sentence's; two names (words
capitalised inside a sentence) match when :func:`difflib.SequenceMatcher` finds them at least
:data:`NAME_SIMILARITY` alike and they begin with the same letter.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

import numpy as np

from .merge import similar_pairs

NEAR_COSINE = 0.55  # below this, two sentences are about different things whatever words they share
MIN_OVERLAP = 0.5  # shared content words, as a share of the shorter sentence's
NAME_SIMILARITY = 0.75  # Panjshir / Panchir: 0.80; Kabul / Kunduz: 0.36


def same_claim_pairs(
    words: Sequence[frozenset[str]], names: Sequence[frozenset[str]], vectors: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i < j) below ``threshold`` that still state the same claim, as two index arrays.

    Args:
        words: each sentence's content words (stemmed, no stopwords).
        names: those of its words that are names (capitalised, not the first word), a subset of ``words``.
        vectors: one L2-normalised row per sentence.
        threshold: the cosine at or above which pairs are already the same (not returned again).
    """
    first, second = similar_pairs(vectors, None, NEAR_COSINE)
    if not len(first):
        return first, second
    cosine = np.einsum("ij,ij->i", vectors[first], vectors[second])
    keep = [k for k in np.flatnonzero(cosine < threshold) if overlap(words[first[k]], names[first[k]], words[second[k]], names[second[k]]) >= MIN_OVERLAP]
    return first[keep], second[keep]


def overlap(a: frozenset[str], a_names: frozenset[str], b: frozenset[str], b_names: frozenset[str]) -> float:
    """Shared words of two sentences, names matched across spellings, over the shorter one's words."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    left = sorted(a_names - b)
    right = sorted(b_names - a)
    for name in left:
        match = next((other for other in right if other[0] == name[0] and SequenceMatcher(None, name, other).ratio() >= NAME_SIMILARITY), None)
        if match is not None:
            shared += 1
            right.remove(match)
    return shared / min(len(a), len(b))
