"""An on-disk cache of sentence vectors, so a second run or another config reuses them.

Encoding is most of an extractive run's time (issue 13: 25.6 of 47 s), and a repeated run, or a
``summarizer compare`` process after another one, meets the same article sentences again. Each
vector is stored as one small JSON file (base64 float32, exact) named by its key, under
``<cache.folder>/embeddings/<first two hex digits>/``, next to the summary cache and honouring
the same ``cache.enabled`` switch.

The key is the SHA-256 of the sentence and the embedder's ``identity`` (its model, precision and
the versions of the packages that compute it), so the int8 and fp32 vectors never mix, and an
upgrade gives new keys rather than stale hits. Embedders without an ``identity``, or whose
vectors depend on the other sentences of a call (TF-IDF, ``stable = False``), are not cached.

Entries are written with a rename but without an fsync: a sentence costs about 2.5 ms to encode
and an fsync about 5 ms, and an entry lost to a power cut is only recomputed. A damaged entry is
reported with a warning and recomputed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path
from typing import Sequence

import numpy as np

from ..config import Config
from ..storage import atomic_write, cache_folder
from .embed import Embedder, MemoEmbedder, get_embedder, multilingual_embedder

log = logging.getLogger(__name__)

#: Bump when the stored format changes: old entries are then unused.
FORMAT_VERSION = 1


class EmbeddingCache:
    """Vectors by sentence for one embedder ``identity``, one JSON file each under ``folder``."""

    def __init__(self, folder: str | Path, identity: str):
        self.identity = identity
        self.folder = cache_folder(folder, "embedding")
        self.hits = 0  # vectors read back in this run

    def path(self, sentence: str) -> Path:
        """Where ``sentence``'s vector under this identity is stored."""
        payload = json.dumps({"version": FORMAT_VERSION, "identity": self.identity, "text": sentence}, ensure_ascii=False)
        key = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, sentence: str) -> np.ndarray | None:
        """The stored vector, or ``None`` when absent; a damaged entry is warned about and ignored."""
        path = self.path(sentence)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            entry = json.loads(text)
            vector = np.frombuffer(base64.b64decode(entry["vector"], validate=True), dtype=np.float32)
            if vector.size != int(entry["size"]) or not np.isfinite(vector).all():
                raise ValueError(f"{vector.size} finite values of {entry['size']}")
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s: damaged embedding cache entry (%s); encoding the sentence again and replacing it.", path, exc)
            return None
        self.hits += 1
        return vector

    def put_many(self, sentences: Sequence[str], vectors: np.ndarray) -> None:
        """Store each sentence's vector (row of ``vectors``), each file replaced atomically."""
        for sentence, vector in zip(sentences, np.asarray(vectors, dtype=np.float32), strict=True):
            path = self.path(sentence)
            path.parent.mkdir(exist_ok=True)
            entry = {"version": FORMAT_VERSION, "size": int(vector.size), "vector": base64.b64encode(vector.tobytes()).decode("ascii")}
            atomic_write(path, json.dumps(entry), durable=False)


def open_embedding_cache(config: Config, embedder: Embedder) -> EmbeddingCache | None:
    """The run's embedding cache, or ``None`` when ``cache.enabled`` is off or ``embedder``'s vectors
    cannot be stored (no ``identity``, or not ``stable``)."""
    identity = getattr(embedder, "identity", "")
    if not config.cache.enabled or not identity or not getattr(embedder, "stable", True):
        return None
    return EmbeddingCache(config.cache.resolved_folder / "embeddings", identity)


def memo_embedder(config: Config, language: str = "en") -> MemoEmbedder:
    """The config's embedder for a cluster in ``language`` (``fusion.embedder`` for English,
    ``fusion.multilingual_embedder`` for the others), remembering vectors for the run and, when
    enabled, on disk."""
    fusion, model = config.fusion, config.model
    if language == "en":
        inner = get_embedder(fusion.embedder, model.device, model.resolved_converted_folder)
    else:
        inner = multilingual_embedder(fusion.multilingual_embedder, fusion.multilingual_model, model.device)
    return MemoEmbedder(inner, open_embedding_cache(config, inner))
