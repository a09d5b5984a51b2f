"""The per-article summarization stage: one summary per article, whatever the method.

Summarizers are found by ``model.method`` in :data:`SUMMARIZERS`. When the configured seq2seq
model cannot be loaded, ``model.on_load_failure`` decides: ``error`` stops with the loader's
message, ``extractive`` switches to LexRank *and says so* (a :class:`Fallback` that the
pipeline prints and records in ``digest.json``), never silently.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from tqdm import tqdm

from ..config import Config
from ..errors import ModelLoadError
from ..text import Embedder
from ..records import Article, ArticleSummary
from .cache import SummaryCache
from .extractive import ExtractiveSummarizer, LeadSummarizer

log = logging.getLogger(__name__)


class Summarizer(Protocol):
    """What the pipeline, the summary cache and ``compare`` read from a summarizer: the one
    interface that every summarizer, and :class:`~summarizer.summarize.shared.SharedSummarizer`
    wrapping one, provides in full."""

    name: str  # recorded as "model" in digest.json
    method: str  # "abstractive" | "extractive" | "lead"
    engine: str  # backend/precision/device, part of the summary cache key; "" without a model
    batch_size: int  # articles per summarize call when the pipeline caches summaries batch by batch
    languages: tuple[str, ...] | None  # what a seq2seq model was trained on (model.languages); None = no model

    def summarize(self, texts: Sequence[str], progress: bool = True, language: str = "en") -> list[tuple[str, int]]:
        """One (summary, chunks) pair per text (all in ``language``), in order."""


@dataclass(frozen=True)
class Fallback:
    """A switch away from the configured model, with the reason, for stderr and digest.json."""

    requested: str
    used: str
    reason: str

    def message(self) -> str:
        return f"could not load '{self.requested}', so per-article summaries are extractive ({self.used}). Reason: {self.reason}"


def _abstractive(config: Config, embedder: Callable[[str], Embedder]) -> Summarizer:
    from .seq2seq import (
        Seq2SeqSummarizer,  # imports CTranslate2, and torch and transformers when needed
    )

    del embedder
    return Seq2SeqSummarizer(config.model, config.length)


SUMMARIZERS: dict[str, Callable[[Config, Callable[[str], Embedder]], Summarizer]] = {
    "abstractive": _abstractive,
    "extractive": lambda config, embedder: ExtractiveSummarizer(config.length, embedder),
    "lead": lambda config, embedder: LeadSummarizer(config.length),
}


def build_summarizer(config: Config, embedder: Callable[[str], Embedder]) -> tuple[Summarizer, Fallback | None]:
    """Create the configured summarizer once (models load here), applying the failure policy.

    Args:
        config: the run's config.
        embedder: returns the shared embedder of a language; called only by methods that need one.
    """
    try:
        return SUMMARIZERS[config.model.method](config, embedder), None
    except ModelLoadError as exc:
        if config.model.method != "abstractive" or config.model.on_load_failure != "extractive":
            raise
        fallback = SUMMARIZERS["extractive"](config, embedder)
        return fallback, Fallback(requested=config.model.name, used=fallback.name, reason=str(exc))


def untrained_language(summarizer: Summarizer, language: str) -> str | None:
    """Why summaries of text in ``language`` (ISO 639-1) may fail, or None when the model knows it.

    Only seq2seq models are trained on languages (``model.languages``); an English BART given
    Arabic writes English-looking text or nothing, without any error.
    """
    if summarizer.languages is None or language in summarizer.languages:
        return None
    return (
        f"The articles are in language '{language}', but model {summarizer.name} was trained on "
        f"{', '.join(summarizer.languages)} only: its summaries may be in the wrong language, invented or empty. "
        "Use a model trained on it (configs/mt5-xlsum.yaml covers 43 languages, or set model.languages if "
        "this model does), or --config extractive, which copies the articles' own sentences."
    )


def summarize(
    articles: Sequence[Article],
    summarizer: Summarizer,
    progress: bool = True,
    cache: SummaryCache | None = None,
    batch_size: int = 8,
    language: str = "en",
) -> list[ArticleSummary]:
    """Summarize each article; the output has one entry per input article, in order.

    Args:
        articles: the cluster's articles.
        summarizer: from :func:`build_summarizer`.
        progress: show a progress bar.
        cache: when given, summaries found there are reused, and the others are computed
            ``batch_size`` articles at a time and stored as soon as each batch is done, so an
            interruption loses at most one batch.
        batch_size: articles per summarizer call when caching.
        language: the cluster's language (ISO 639-1): its sentence boundaries and embedder, and one
            warning for the cluster, not one per article, when the model was not trained on it
            (:func:`untrained_language`).
    """
    reason = untrained_language(summarizer, language) if articles else None
    if reason:
        log.warning("%s: %s", articles[0].cluster_id, reason)
    texts = [article.text for article in articles]
    if cache is None:
        results = summarizer.summarize(texts, progress=progress, language=language)
    else:
        results = _summarize_cached(texts, summarizer, cache, batch_size, progress, language)
    return [
        ArticleSummary(doc_id=article.doc_id, title=article.title, summary=text, chunks=chunks)
        for article, (text, chunks) in zip(articles, results, strict=True)
    ]


def _summarize_cached(
    texts: Sequence[str], summarizer: Summarizer, cache: SummaryCache, batch_size: int, progress: bool, language: str
) -> list[tuple[str, int]]:
    """Cached summaries where present; the rest computed in batches and stored batch by batch."""
    keys = [cache.key(text) for text in texts]
    results: list[tuple[str, int] | None] = [cache.get(key) for key in keys]
    missing = [i for i, found in enumerate(results) if found is None]
    with tqdm(total=len(texts), initial=len(texts) - len(missing), desc="summarizing", unit="article", disable=None if progress else True, file=sys.stderr) as bar:
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            for i, (summary, chunks) in zip(batch, summarizer.summarize([texts[i] for i in batch], progress=False, language=language), strict=True):
                cache.put(keys[i], summary, chunks)
                results[i] = (summary, chunks)
            bar.update(len(batch))
    return results
