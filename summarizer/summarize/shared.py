"""Sharing loaded models between the configs of one comparison.

A summarizer is loaded once per set of settings that determine its output (:func:`summary_key`),
and its per-article summaries are computed once per cluster and handed to every config with the
same key. Two configs that differ only in fusion settings therefore pay for one summarization.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ..config import Config
from ..text import Embedder, memo_embedder
from .stage import Fallback, Summarizer, build_summarizer


def summary_key(config: Config) -> str:
    """The settings that determine a config's per-article summaries, as a stable string.

    Lead summaries depend on the sentence count only; extractive ones also on the embedder;
    seq2seq ones on every model and length setting (and on the embedder when the fallback to
    extractive is allowed). Fusion and data settings never change the per-article summaries.
    """
    method = config.model.method
    key: dict[str, Any] = {"method": method, "sentences": config.length.resolved_sentences}
    if method == "abstractive":
        # model.languages only decides a warning: configs differing in it share one model
        key.update(model=config.model.model_dump(exclude={"languages"}), length=config.length.model_dump())
    if method == "extractive" or (method == "abstractive" and config.model.on_load_failure == "extractive"):
        fusion = config.fusion  # English clusters' embedder, and the other languages'
        key.update(embedder=fusion.embedder, multilingual=[fusion.multilingual_embedder, fusion.multilingual_model], device=config.model.device)
    return json.dumps(key, sort_keys=True)


class SharedSummarizer:
    """A loaded summarizer that remembers each article's summary, and how long it took.

    A full :class:`~summarizer.summarize.stage.Summarizer` itself (name, method, engine,
    batch size, ``summarize``), so the pipeline and the cache treat it as the one it wraps.

    Memoised per text, not per call, because the pipeline may hand over a cluster in batches
    or leave out articles that the on-disk cache (``cache.enabled``) already holds.
    """

    def __init__(self, inner: Summarizer):
        self.inner = inner
        self.name = inner.name
        self.method = inner.method
        self.engine = inner.engine  # part of the on-disk cache key, as for the inner one
        self.languages = inner.languages
        self._done: dict[str, tuple[tuple[str, int], float]] = {}  # text -> (result, seconds)

    @property
    def batch_size(self) -> int:
        """The inner summarizer's, read on each use: a seq2seq one lowers it after running out of memory."""
        return self.inner.batch_size

    def summarize(self, texts: Sequence[str], progress: bool = True, language: str = "en") -> list[tuple[str, int]]:
        """The inner summarizer's results, each text summarized once (a text's language is the
        same in every config of a comparison, which detects it from the text)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._done))
        if missing:
            start = time.perf_counter()
            results = self.inner.summarize(missing, progress=progress, language=language)
            each = (time.perf_counter() - start) / len(missing)  # a batch's time, shared evenly
            self._done.update((text, (tuple(result), each)) for text, result in zip(missing, results, strict=True))
        return [self._done[t][0] for t in texts]

    def timing(self, texts: Sequence[str]) -> tuple[float, int]:
        """Seconds spent summarizing ``texts``, and how many of them this run summarized itself
        (the others came from the on-disk cache and cost no model time)."""
        timed = [self._done[t][1] for t in dict.fromkeys(texts) if t in self._done]
        return sum(timed), len(timed)


class SharedModels:
    """Models loaded once for a whole comparison, found by the settings that determine them."""

    def __init__(self) -> None:
        self._embedders: dict[tuple[str, str, str, str, Path, bool, Path, str], Embedder] = {}
        self._summarizers: dict[str, tuple[SharedSummarizer, Fallback | None]] = {}

    def embedder(self, config: Config, language: str = "en") -> Embedder:
        """The embedder of ``config`` for a cluster in ``language``, shared by every config that
        would build the same one."""
        model, cache, fusion = config.model, config.cache, config.fusion
        chosen = (fusion.embedder, "", "") if language == "en" else ("", fusion.multilingual_embedder, fusion.multilingual_model)
        key = (*chosen, model.device, model.resolved_converted_folder, cache.enabled, cache.resolved_folder, language == "en")
        if key not in self._embedders:
            self._embedders[key] = memo_embedder(config, language)
        return self._embedders[key]

    def summarizer(self, config: Config, embedder: Callable[[str], Embedder]) -> tuple[SharedSummarizer, Fallback | None]:
        key = summary_key(config)
        if key not in self._summarizers:
            inner, fallback = build_summarizer(config, embedder)
            self._summarizers[key] = (SharedSummarizer(inner), fallback)
        return self._summarizers[key]
