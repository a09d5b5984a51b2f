"""The per-article summarization stage: one summary per article, whatever the method.

Summarizers are found by ``model.method`` in :data:`SUMMARIZERS`. When the configured seq2seq
model cannot be loaded, ``model.on_load_failure`` decides: ``error`` stops with the loader's
message, ``extractive`` switches to LexRank *and says so* (a :class:`Fallback` that the
pipeline prints and records in ``digest.json``), never silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from .config import Config
from .embed import Embedder
from .errors import ModelLoadError
from .extractive import ExtractiveSummarizer, LeadSummarizer
from .records import Article, ArticleSummary


class Summarizer(Protocol):
    name: str  # recorded as "model" in digest.json
    method: str  # "abstractive" | "extractive" | "lead"

    def summarize(self, texts: Sequence[str], progress: bool = True) -> list[tuple[str, int]]:
        """One (summary, chunks) pair per text, in order."""


@dataclass(frozen=True)
class Fallback:
    """A switch away from the configured model, with the reason, for stderr and digest.json."""

    requested: str
    used: str
    reason: str

    def message(self) -> str:
        return f"could not load '{self.requested}', so per-article summaries are extractive ({self.used}). Reason: {self.reason}"


def _abstractive(config: Config, embedder: Callable[[], Embedder]) -> Summarizer:
    from .seq2seq import Seq2SeqSummarizer  # imports torch and transformers: only when needed

    del embedder
    return Seq2SeqSummarizer(config.model, config.length)


SUMMARIZERS: dict[str, Callable[[Config, Callable[[], Embedder]], Summarizer]] = {
    "abstractive": _abstractive,
    "extractive": lambda config, embedder: ExtractiveSummarizer(config.length, embedder()),
    "lead": lambda config, embedder: LeadSummarizer(config.length),
}


def build_summarizer(config: Config, embedder: Callable[[], Embedder]) -> tuple[Summarizer, Fallback | None]:
    """Create the configured summarizer once (models load here), applying the failure policy.

    Args:
        config: the run's config.
        embedder: returns the shared embedder; called only by methods that need one.
    """
    try:
        return SUMMARIZERS[config.model.method](config, embedder), None
    except ModelLoadError as exc:
        if config.model.method != "abstractive" or config.model.on_load_failure != "extractive":
            raise
        fallback = SUMMARIZERS["extractive"](config, embedder)
        return fallback, Fallback(requested=config.model.name, used=fallback.name, reason=str(exc))


def summarize(articles: Sequence[Article], summarizer: Summarizer, progress: bool = True) -> list[ArticleSummary]:
    """Summarize each article; the output has one entry per input article, in order."""
    results = summarizer.summarize([article.text for article in articles], progress=progress)
    return [
        ArticleSummary(doc_id=article.doc_id, title=article.title, summary=text, chunks=chunks)
        for article, (text, chunks) in zip(articles, results, strict=True)
    ]
