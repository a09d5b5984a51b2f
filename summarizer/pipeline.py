"""The fixed stage sequence: load → (group a feed into stories) → summarize → fuse → write.

The CLI and the notebooks call :func:`run` (or the stage functions it strings together); no
pipeline logic lives anywhere else. Models load once per run, however many clusters there are,
and each cluster's files are written as soon as it is done, so an interruption loses at most
the cluster in progress.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from tqdm import tqdm

from .config import Config
from .data import clusters, digest_language, load_articles
from .fuse import (
    Candidate,
    Mention,
    candidates,
    conflicts_supported,
    figure_mentions,
    find_conflicts,
    fuse,
    guard,
    select_sentences,
    sentences_of,
)
from .output import safe_name, safe_names, write_digest, write_index
from .records import Article, ArticleSummary, Conflict, Digest, DigestSentence, Story
from .storage import check_writable
from .summarize import Fallback, body_sentences, build_summarizer, open_cache, summarize, untrained_language
from .text import Embedder, memo_embedder, word_count

if TYPE_CHECKING:
    from .summarize import SharedModels

log = logging.getLogger(__name__)


class Pipeline:
    """Models loaded once for a config; call :meth:`digest` for each cluster."""

    def __init__(self, config: Config, models: SharedModels | None = None):
        """Load the config's models, or take them from ``models``.

        Args:
            config: the run's config.
            models: models already loaded for other configs (``summarizer compare``), reused
                wherever their settings match this config; None loads this pipeline's own.
        """
        self.config = config
        start = time.perf_counter()
        if models is None:
            self.embedder_for: Callable[[str], Embedder] = lru_cache(maxsize=None)(lambda language: memo_embedder(config, language))
            self.summarizer, self.fallback = build_summarizer(config, self.embedder_for)
        else:
            self.embedder_for = lambda language: models.embedder(config, language)
            self.summarizer, self.fallback = models.summarizer(config, self.embedder_for)
        if self.fallback:
            log.warning("%s", self.fallback.message())
        self.load_s = time.perf_counter() - start
        self.cache = open_cache(config, self.summarizer.name, self.summarizer.method, self.summarizer.engine)

    def digest(self, cluster_id: str, articles: Sequence[Article], progress: bool = True) -> Digest:
        """Summarize each article, fuse the summaries, find conflicts, and time each stage.

        Every sentence a stage will embed is known before summarizing (the articles' sentences
        for LexRank and evidence, the numbers' contexts for conflicts), so they are encoded
        first, in one call sorted by length, instead of one small call per article and stage.
        """
        start = time.perf_counter()
        language = digest_language(cluster_id, articles, self.config.data)
        embedder = self.embedder_for(language)
        corpus = sentences_of([(a.doc_id, a.text) for a in articles], self.config.fusion, language)
        found = figure_mentions(articles, language)
        ranked = [s for a in articles for s in body_sentences(a.text, language)] if self.summarizer.method == "extractive" else []
        embedder.prefetch([*ranked, *(c.text for c in corpus), *(m.context for m in found)])
        embedded = time.perf_counter()
        hits = self.cache.hits if self.cache else 0
        summaries = summarize(
            articles, self.summarizer, progress=progress, cache=self.cache, batch_size=self.summarizer.batch_size, language=language
        )
        if self.cache and self.cache.hits > hits:
            log.info("%s: reused %d of %d article summaries from the cache in %s.", cluster_id, self.cache.hits - hits, len(articles), self.cache.folder)
        summarized = time.perf_counter()
        checked, hallucinations = guard(summaries, articles, self.config.guard, language)
        sentences = self.fuse(checked, articles, corpus, language)
        fused = time.perf_counter()
        conflicts = self.conflicts(articles, found, language)
        done = time.perf_counter()
        empty = None if sentences else self._why_empty(articles, checked, corpus, language)
        if empty:
            log.warning("%s: the digest is empty. %s", cluster_id, empty)
        timings = {
            "load_s": self.load_s,
            "embed_s": embedded - start,  # the prefetch: most of the run's encoding
            "summarize_s": summarized - embedded,
            "fuse_s": done - summarized,  # fusion and conflicts together, as before
            "select_s": fused - summarized,
            "conflicts_s": done - fused,
        }
        return Digest(
            cluster_id=cluster_id,
            config=self.config.model_dump(),
            model=self.summarizer.name,
            method=self.summarizer.method,
            articles=summaries,
            digest=sentences,
            timings={name: round(seconds, 3) for name, seconds in timings.items()},
            embedder=embedder.name + (f" ({embedder.note})" if getattr(embedder, "note", "") else ""),
            notes=_notes(articles, self.fallback) + self._language_notes(language) + ([empty] if empty else []),
            fallback=None if self.fallback is None else {"from": self.fallback.requested, "to": self.fallback.used, "reason": self.fallback.reason},
            conflicts=conflicts,
            hallucinations=hallucinations,
            language=language,
        )

    def _why_empty(self, articles: Sequence[Article], summaries: Sequence[ArticleSummary], corpus: Sequence[Candidate], language: str) -> str:
        """Why no sentence made the digest, in the settings' terms, for the warning and the digest.

        The sentences weighed are the articles' statements for the extractive method, else those
        of the per-article summaries (a model's output without full stops has none)."""
        fusion = self.config.fusion
        if self.summarizer.method == "extractive":
            read, pool = f"the {len(articles)} articles ({sum(word_count(a.text) for a in articles)} words", corpus
        else:
            pool = candidates(summaries, fusion, language)
            read = f"the {len(summaries)} per-article summaries ({sum(word_count(s.summary) for s in summaries)} words"
        if not pool:
            return (
                f"No sentence met the digest settings: {read}, read as '{language}') have no statement of at least "
                f"fusion.min_sentence_words={fusion.min_sentence_words} words ending in a full stop. "
                "Check data.language and the input's punctuation."
            )
        return (
            f"No sentence met the digest settings: of {len(pool)} statements of {read}, read as '{language}'), none fits "
            f"fusion.max_words={fusion.max_words} with fusion.min_support={fusion.min_support} and states a word pair "
            "that several articles report. Raise fusion.max_words, lower fusion.min_support, or check data.language."
        )

    def conflicts(self, articles: Sequence[Article], found: Sequence[Mention] | None = None, language: str = "en") -> list[Conflict]:
        """Figures the articles report differently for the same thing (see :mod:`summarizer.fuse.conflicts`).

        ``found`` is ``figure_mentions(articles, language)`` when the caller has it already."""
        found = figure_mentions(articles, language) if found is None else found
        return find_conflicts(found, self.embedder_for(language).encode([m.context for m in found]), self.config.conflicts, language)

    def _language_notes(self, language: str) -> list[str]:
        """What the cluster's language costs, said in the digest: a model not trained on it (also
        warned on stderr), and disagreeing figures not looked for where no lexicon reads them."""
        reasons = [untrained_language(self.summarizer, language)]
        if self.config.conflicts.enabled:
            reasons.append(conflicts_supported(language))
        return [reason for reason in reasons if reason]

    def fuse(
        self, summaries: Sequence[ArticleSummary], articles: Sequence[Article], corpus: Sequence[Candidate] | None = None, language: str = "en"
    ) -> list[DigestSentence]:
        """Fuse per-article summaries into digest sentences, with evidence from the articles.

        ``corpus`` is the articles' statements (``sentences_of``) when the caller has them already."""
        settings = self.config.fusion
        embedder = self.embedder_for(language)
        corpus = sentences_of([(a.doc_id, a.text) for a in articles], settings, language) if corpus is None else corpus
        threshold = settings.threshold or embedder.default_threshold
        if settings.selection == "ranking":
            cands = candidates(summaries, settings, language)
            vectors = embedder.encode([c.text for c in cands] + [c.text for c in corpus])
            return fuse(cands, vectors[: len(cands)], settings, threshold, corpus, vectors[len(cands) :], language)
        texts = [a.text for a in articles]
        if self.summarizer.method == "extractive":  # any statement of any article may be chosen
            vectors = embedder.encode([c.text for c in corpus])
            return select_sentences(corpus, vectors, settings, threshold, texts, corpus, vectors, language=language)
        cands = candidates(summaries, settings, language)
        vectors = embedder.encode([c.text for c in cands] + [c.text for c in corpus])
        return select_sentences(cands, vectors[: len(cands)], settings, threshold, texts, corpus, vectors[len(cands) :], language=language)


def run(
    source: str | Path,
    config: Config,
    output: str | Path | None = None,
    progress: bool = True,
    on_digest: Callable[[Digest], None] | None = None,
) -> list[Digest]:
    """Digest every cluster of ``source``.

    Args:
        source: anything :func:`summarizer.data.load_articles` accepts.
        config: the run's config.
        output: folder for ``digest.md``/``digest.json``/``digest.html``; with several clusters,
            one sub-folder per cluster id and an ``index.html`` linking them; with
            ``data.stories``, one sub-folder per story, ``stories.json``, and the stored
            grouping (``.stories/``) a later run over the grown feed continues. Checked for
            writability before any model loads.
        progress: show progress bars.
        on_digest: called with each digest as soon as it is ready (the CLI prints it).

    Returns:
        One digest per cluster, in input order.
    """
    out = check_writable(output) if output is not None else None
    skipped: list[str] = []
    groups = load_groups(source, config, out, skipped)
    grouped = groups.clusters
    if out is not None and groups.folders > 1:
        safe_names(grouped, "cluster ids")  # a clash is refused before any model loads
    pipeline = Pipeline(config)
    results = []
    several = groups.folders > 1
    for cluster_id, articles in over_clusters(grouped.items(), len(grouped), "digesting", progress):
        digest = pipeline.digest(cluster_id, articles, progress=progress and len(grouped) == 1)
        if out is not None:
            write_digest(digest, digest_folder(out, cluster_id, groups.folders), back="../index.html" if several else None)
        if on_digest is not None:
            on_digest(digest)
        results.append(digest)
    if out is not None and several:
        write_index(results, out, groups.stories)
    report_skipped(skipped)
    return results


@dataclass(frozen=True)
class Groups:
    """The clusters a run digests, and the stories they are when the input was a feed."""

    clusters: "OrderedDict[str, list[Article]]"
    stories: list[Story] | None = None  # None: the input's own clusters

    @property
    def folders(self) -> int:
        """The cluster count the writers lay out folders by: a feed's stories always get a
        folder each (and ``stories.json`` and ``index.html`` beside them), even a single story."""
        return max(len(self.clusters), 2) if self.stories is not None else len(self.clusters)


def load_groups(source: str | Path, config: Config, output: Path | None = None, skipped: list[str] | None = None) -> Groups:
    """The clusters of ``source``: its own, or with ``data.stories`` the stories its articles are
    grouped into (largest first; the stories of earlier runs are kept in ``output``)."""
    grouped = clusters(load_articles(source, config.data, skipped))
    if not config.data.stories:
        return Groups(grouped)
    from .stories import group_stories  # scikit-learn's vectorizer: 1.2 s of start-up a run without a feed skips

    articles = [article for members in grouped.values() for article in members]
    stories = group_stories(articles, config.grouping, output)
    by_id = {article.doc_id: article for article in articles}
    story_clusters = OrderedDict((story.id, [replace(by_id[doc], cluster_id=story.id) for doc in story.doc_ids]) for story in stories)
    return Groups(story_clusters, stories)


def report_skipped(skipped: Sequence[str]) -> None:
    """The closing summary of input left out, so warnings scrolled away among the progress
    bars and cluster lines are not the only record of it."""
    if skipped:
        log.warning("skipped %d input%s in all: %s", len(skipped), "" if len(skipped) == 1 else "s", " | ".join(skipped))


def over_clusters(items: Iterable[tuple[str, list[Article]]], total: int, label: str, progress: bool) -> Iterator[tuple[str, list[Article]]]:
    """Yield the clusters, counted on a bar with articles done and time left.

    The bar shows only with ``progress`` on and stderr a terminal (tqdm's ``disable=None``); a
    single cluster's progress is the per-article bar instead. Off a terminal, several clusters
    are announced one log line each, which a log file keeps readably.
    """
    with tqdm(total=total, desc=label, unit="cluster", disable=None if progress and total > 1 else True, file=sys.stderr) as bar:
        done = 0
        for number, (cluster_id, articles) in enumerate(items, start=1):
            if bar.disable and total > 1:
                log.info("%s: cluster %d/%d: %s (%d articles)", label, number, total, cluster_id, len(articles))
            yield cluster_id, articles
            done += len(articles)
            bar.set_postfix_str(f"{done} articles", refresh=False)
            bar.update()


def digest_folder(out: Path, cluster_id: str, total: int) -> Path:
    """Where a cluster's files go: ``out`` itself for a single cluster, else ``out/<cluster id>``
    with the id made a safe folder name (:func:`summarizer.output.safe_name`)."""
    return out / safe_name(cluster_id) if total > 1 else out


def _notes(articles: Sequence[Article], fallback: Fallback | None) -> list[str]:
    """Announcements that belong in the digest itself, not only on stderr."""
    notes = []
    if fallback is not None:
        notes.append(fallback.message())
    if len(articles) == 1:
        notes.append("This cluster has a single article: the digest is that article's summary, with nothing to cross-check it against.")
    return notes
