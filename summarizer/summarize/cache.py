"""An on-disk cache of per-article summaries, so an interrupted or repeated run redoes nothing.

Summarizing one article with a seq2seq model costs seconds on a CPU; a run over hundreds of
articles that dies at article 180 (Ctrl-C, a crash, a closed laptop) must not cost those
seconds again. Each summary is stored as soon as it is computed, as one small JSON file named
by its key, written atomically, so a killed run leaves complete entries or none.

The key is the SHA-256 of everything the summary depends on: the cleaned article text, the
summarizer's name, method, revision and weights, its prefix and input window, and every length
setting (see :func:`summary_identity`). Changing any of them gives new keys, never a stale hit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Mapping, Sequence

from huggingface_hub import try_to_load_from_cache

from ..config import Config
from ..storage import atomic_write, cache_folder

log = logging.getLogger(__name__)

#: Bump when the stored format or the meaning of a summary changes: old entries are then unused.
FORMAT_VERSION = 1
#: Files holding a model's weights, sharded or not; their size and modification time identify them.
WEIGHT_PATTERNS = ("*.safetensors", "*.bin")


class SummaryCache:
    """Summaries by key, one JSON file each under ``folder/<first two hex digits>/``.

    Args:
        folder: where entries live (created if needed).
        identity: what the summaries depend on besides the text (:func:`summary_identity`);
            :meth:`key` combines it with an article's text.
    """

    def __init__(self, folder: str | Path, identity: Mapping[str, Any] | None = None):
        self.identity = dict(identity or {})
        self.folder = cache_folder(folder, "summary")
        self.hits = 0  # entries found in this run (reported by the pipeline)

    def key(self, text: str) -> str:
        """The key of ``text``'s summary under this cache's identity."""
        return cache_key(text, self.identity)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[str, int] | None:
        """The stored ``(summary, chunks)``, or ``None`` when absent or unreadable."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            found = (str(entry["summary"]), int(entry["chunks"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, or damaged by something other than us: recompute it
        self.hits += 1
        return found

    def put(self, key: str, summary: str, chunks: int) -> None:
        """Store one summary atomically (readers see the whole entry or none)."""
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, json.dumps({"version": FORMAT_VERSION, "summary": summary, "chunks": chunks}, ensure_ascii=False))


def summary_identity(config: Config, summarizer_name: str, method: str, engine: str = "") -> dict[str, Any]:
    """Everything besides the article text that a summary depends on.

    ``engine`` is the generation backend with its precision and device (``"ctranslate2/int8/cpu"``,
    see :mod:`summarizer.summarize.backends`): int8 and fp32, CPU and GPU summaries differ in a few tokens.
    """
    model = config.model
    return {
        "version": FORMAT_VERSION,
        "summarizer": summarizer_name,
        "method": method,
        "revision": model.revision,
        "weights": weights_id(model.name, model.revision),
        "engine": engine,
        "prefix": model.prefix,
        "max_input_tokens": model.max_input_tokens,
        "length": config.length.model_dump(mode="json"),
    }


def cache_key(text: str, identity: Mapping[str, Any]) -> str:
    """SHA-256 hex digest of the cleaned text together with the summary's identity."""
    payload = json.dumps({"text": text, **identity}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def weights_id(name: str, revision: str | None = None, patterns: Sequence[str] = WEIGHT_PATTERNS) -> str:
    """Name, size and modification time of a local model's weight files (or of the files that
    match ``patterns``); the commit for a hub id.

    A local folder can be overwritten by retraining, which this catches without hashing
    gigabytes. A hub id is pinned by the commit its cached snapshot holds, so a moved branch
    (``model.revision`` null follows "main") gives new keys; ``""`` when it is not cached.
    """
    folder = Path(name).expanduser()
    if not folder.is_dir():
        try:
            cached = try_to_load_from_cache(name, "config.json", revision=revision)
        except ValueError:  # not a valid hub id either: nothing is cached under it
            return ""
        return Path(cached).parent.name if isinstance(cached, str) else ""
    files = sorted(p for pattern in patterns for p in folder.glob(pattern))
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def open_cache(config: Config, summarizer_name: str, method: str, engine: str = "") -> SummaryCache | None:
    """The run's cache, or ``None`` when ``cache.enabled`` is off or the method is not worth it.

    Only abstractive summaries are cached: lead and LexRank summaries take milliseconds, less
    than reading them back would save.
    """
    if not config.cache.enabled or method != "abstractive":
        return None
    return SummaryCache(config.cache.resolved_folder, summary_identity(config, summarizer_name, method, engine))
