"""Comparison: several configs over the same clusters, scored with :mod:`summarizer.compare.metrics`.

Every config runs through :class:`summarizer.pipeline.Pipeline`, as ``summarizer run`` would,
but all pipelines draw their models from one :class:`SharedModels`: a summarizer is loaded once
per set of settings that determine its output (:func:`summary_key`), and its per-article
summaries are computed once per cluster and handed to every config with the same key. Two
configs that differ only in fusion settings therefore pay for one summarization and differ
only where they should, in the digest.

The clusters are loaded once, with data settings that must be the same in every config
(``--split``/``--limit``/``--set data.KEY=VALUE`` apply to all of them), so every config is
scored on exactly the same articles and references. That is what makes the paired tests of
:func:`paired_tests` valid: each config is tested against the first on the same clusters.

Each (config, cluster) pair is digested and scored by :func:`score_cluster`, in this process
or, with ``compare --ray`` (:func:`summarizer.engine.compare_on_ray`), on a Ray actor pool that
keeps the sharing above; averages, intervals and tests are always computed here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from ..config import CompareSettings, Config
from ..data import clusters, load_articles
from ..errors import ConfigError
from ..fuse import unsupported
from ..output import safe_names
from ..text import Embedder, word_count
from ..pipeline import Pipeline, over_clusters, report_skipped
from ..records import Article, Digest
from ..summarize import SharedModels, summary_key
from . import metrics

log = logging.getLogger(__name__)

ROUGE_KEYS = metrics.ROUGE_TYPES


@dataclass
class ConfigResult:
    """One config's digests and scores over every cluster of the comparison."""

    name: str
    config: Config
    digests: list[Digest]
    per_cluster: list[dict[str, float | None]]  # one metrics dict per cluster, in cluster order
    unsupported: list[list[list[str]]]  # per cluster, per digest sentence: mentions its sources lack
    averages: dict[str, dict[str, float] | None]  # metric -> mean and bootstrap interval over clusters
    shares_summaries_with: str | None = None  # the earlier config whose per-article summaries were reused

    @property
    def model(self) -> str:
        return self.digests[0].model if self.digests else ""

    @property
    def method(self) -> str:
        return self.digests[0].method if self.digests else self.config.model.method


@dataclass
class Comparison:
    """Everything ``compare.json`` holds."""

    source: str
    settings: CompareSettings
    clusters: list[dict[str, Any]]  # {"cluster_id", "articles", "references"} in input order
    results: list[ConfigResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # warnings about files, articles, clusters left out
    paired: list[dict[str, Any]] = field(default_factory=list)  # each later config against the first (paired_tests)
    warnings: list[str] = field(default_factory=list)  # what the table alone would hide (length_warnings)

    @property
    def has_references(self) -> bool:
        return any(c["references"] for c in self.clusters)

    def metric_names(self) -> list[str]:
        """Metrics reported in this comparison, in :data:`summarizer.compare.metrics.METRICS` order."""
        skip = () if self.has_references else ROUGE_KEYS
        return [name for name in metrics.METRICS if name not in skip]

    def definition(self, name: str) -> str:
        """The exact variant of one metric, ROUGE under this comparison's protocol."""
        if name in ROUGE_KEYS:
            languages = {d.language for r in self.results for d in r.digests} or {"en"}
            return metrics.rouge_definition(name, self.settings.rouge_measure, self.settings.rouge_words, self.settings.rouge_references, sorted(languages))
        return metrics.METRICS[name]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "settings": {
                **self.settings.model_dump(),
                "bootstrap": "percentile bootstrap of the mean over clusters (scipy.stats.bootstrap, numpy.random.default_rng(seed))",
                "paired_test": PAIRED_TEST,
            },
            "metrics": {name: self.definition(name) for name in self.metric_names()},
            "warnings": self.warnings,
            "paired_tests": self.paired,
            "clusters": self.clusters,
            "skipped": self.skipped,
            "configs": [
                {
                    "name": r.name,
                    "method": r.method,
                    "model": r.model,
                    "shares_summaries_with": r.shares_summaries_with,
                    "config": r.config.model_dump(),
                    "averages": r.averages,
                    "per_cluster": [
                        {
                            "cluster_id": digest.cluster_id,
                            "metrics": scores,
                            "timings": digest.timings,
                            "notes": digest.notes,
                            "fallback": digest.fallback,
                            "digest": [
                                {"text": s.text, "sources": list(s.sources), "unsupported_mentions": missing}
                                for s, missing in zip(digest.digest, flags)
                            ],
                        }
                        for digest, scores, flags in zip(r.digests, r.per_cluster, r.unsupported)
                    ],
                }
                for r in self.results
            ],
        }


class ClusterScore(NamedTuple):
    """One config's digest of one cluster, its metrics, and each digest sentence's unsupported mentions."""

    digest: Digest
    scores: dict[str, float | None]
    flags: list[list[str]]


#: Digests and scores every cluster under every config: (clusters, configs, settings, progress)
#: to one list of :class:`ClusterScore` per config, in config order, each in cluster order.
Scorer = Callable[[Mapping[str, list[Article]], Sequence[tuple[str, Config]], CompareSettings, bool], Iterable[list[ClusterScore]]]


def compare(
    source: str | Path,
    configs: Sequence[tuple[str, Config]],
    settings: CompareSettings = CompareSettings(),
    progress: bool = True,
    scorer: Scorer | None = None,
) -> Comparison:
    """Run every config over the clusters of ``source`` and score each digest.

    Args:
        source: anything :func:`summarizer.data.load_articles` accepts.
        configs: (name, config) pairs; names label the table rows and must be distinct.
        settings: bootstrap seed, resamples and confidence level; the ROUGE protocol.
        progress: show progress bars.
        scorer: what digests and scores the clusters under each config; None does it in this
            process. :func:`summarizer.engine.compare_on_ray` gives one that uses a Ray actor pool.

    Raises:
        ConfigError: no config, repeated names, or configs whose data settings differ.
    """
    _check_configs(configs)
    skipped: list[str] = []
    grouped = clusters(load_articles(source, configs[0][1].data, skipped))
    safe_names(grouped, "cluster ids")  # digests/CONFIG/CLUSTER/ must not clash: refused before any model loads
    comparison = Comparison(
        source=str(source),
        settings=settings,
        clusters=[
            {"cluster_id": cid, "articles": [a.doc_id for a in articles], "references": list(articles[0].references)}
            for cid, articles in grouped.items()
        ],
        skipped=skipped,
    )
    scored = (scorer or _score_here)(grouped, configs, settings, progress)
    first_user: dict[str, str] = {}  # summary key -> name of the first config with it
    for (name, config), results in zip(configs, scored):
        shared_with = first_user.setdefault(summary_key(config), name)
        per_cluster = [r.scores for r in results]
        comparison.results.append(
            ConfigResult(
                name=name,
                config=config,
                digests=[r.digest for r in results],
                per_cluster=per_cluster,
                unsupported=[r.flags for r in results],
                averages=average(per_cluster, comparison.metric_names(), settings),
                shares_summaries_with=None if shared_with == name else shared_with,
            )
        )
    report_skipped(skipped)
    comparison.paired = paired_tests(comparison)
    comparison.warnings = length_warnings(comparison)
    return comparison


def _score_here(
    grouped: Mapping[str, list[Article]], configs: Sequence[tuple[str, Config]], settings: CompareSettings, progress: bool
) -> Iterator[list[ClusterScore]]:
    """Each config in turn over every cluster, in this process; the pipelines draw their models
    from one :class:`SharedModels`. Yields one list per config, in cluster order."""
    models = SharedModels()
    for name, config in configs:
        log.info("config %s: %s", name, config.description or config.model.method)
        pipeline = Pipeline(config, models)
        yield [
            score_cluster(pipeline, cluster_id, articles, settings, progress=progress and len(grouped) == 1)
            for cluster_id, articles in over_clusters(grouped.items(), len(grouped), name, progress)
        ]


def score_cluster(pipeline: Pipeline, cluster_id: str, articles: Sequence[Article], settings: CompareSettings, progress: bool = False) -> ClusterScore:
    """Digest one cluster with ``pipeline`` and score the digest: a comparison's unit of work,
    the same in this process and on a Ray actor.

    The summarizing time is the shared summarizer's for these articles, so a config that reuses
    another's summaries reports the time they took (:meth:`summarizer.summarize.SharedSummarizer.timing`).
    """
    digest = pipeline.digest(cluster_id, articles, progress=progress)
    seconds, summarized = pipeline.summarizer.timing([a.text for a in articles])
    return ClusterScore(digest, *score_digest(digest, articles, pipeline.embedder_for(digest.language), seconds, summarized, settings))


PAIRED_TEST = (
    "each config against the first on the clusters both score; difference = config - first; interval: percentile "
    "bootstrap of the mean difference, clusters resampled as pairs (scipy.stats.bootstrap); p: two-sided paired "
    "permutation test, the two scores of a cluster swapped (scipy.stats.permutation_test; exact, all 2**clusters swaps, up to 16 clusters, else `resamples` random swaps)"
)


def paired_tests(comparison: Comparison) -> list[dict[str, Any]]:
    """Each config after the first against the first, per ROUGE type: mean difference, interval, p.

    Only ROUGE is tested: it is the one metric with a target to be better at. Without
    references there is nothing to test and the list is empty.
    """
    if not comparison.has_references or len(comparison.results) < 2:
        return []
    s = comparison.settings
    first, *others = comparison.results
    tests = []
    for other in others:
        row: dict[str, Any] = {"config": other.name, "baseline": first.name}
        for kind in ROUGE_KEYS:
            pairs = [(a[kind], b[kind]) for a, b in zip(first.per_cluster, other.per_cluster) if a.get(kind) is not None and b.get(kind) is not None]
            row[kind] = metrics.paired_test([a for a, _ in pairs], [b for _, b in pairs], s.resamples, s.confidence, s.seed) if pairs else None
        tests.append(row)
    return tests


def length_warnings(comparison: Comparison) -> list[str]:
    """A warning when the configs' mean digest lengths differ by more than ``settings.length_tolerance``.

    ROUGE F1 and recall both grow with length up to a point, so between digests of different
    lengths they compare lengths as much as content; cutting every digest to N words
    (``--rouge-words``) removes that.
    """
    lengths = {r.name: r.averages["words"]["mean"] for r in comparison.results if r.averages.get("words")}
    if len(lengths) < 2:
        return []
    shortest, longest = min(lengths, key=lengths.get), max(lengths, key=lengths.get)
    if lengths[shortest] == 0:
        spread = float("inf") if lengths[longest] else 0.0
    else:
        spread = lengths[longest] / lengths[shortest] - 1
    if round(spread, 6) <= comparison.settings.length_tolerance:  # 110 vs 100 is 10%, not 10.000000000000009%
        return []
    words = comparison.settings.rouge_words
    cut = (
        f"; ROUGE reads only the first {words} words, so this matters for digests shorter than that" if words
        else "; --rouge-words N scores every digest on its first N words"
    )
    return [
        f"mean digest lengths differ by {spread:.0%}, more than {comparison.settings.length_tolerance:.0%}: "
        f"{longest} {lengths[longest]:.0f} words, {shortest} {lengths[shortest]:.0f}. ROUGE then compares lengths "
        f"as much as content{cut}."
    ]


def score_digest(
    digest: Digest,
    articles: Sequence[Article],
    embedder: Embedder,
    summarize_s: float,
    summarized: int | None = None,
    settings: CompareSettings = CompareSettings(),
) -> tuple[dict[str, float | None], list[list[str]]]:
    """Every metric of one digest, and the unsupported mentions of each of its sentences.

    Args:
        digest: the config's digest of one cluster.
        articles: the cluster's articles (their references, if any, are the ROUGE targets).
        embedder: the embedder the digest was fused with (redundancy is measured in its space).
        summarize_s: wall time of the per-article summaries behind the digest.
        summarized: how many articles that time covers (the rest came from the on-disk
            cache); None = all of them. Throughput counts only the articles summarized.
        settings: the ROUGE protocol (measure, and the word cut).
    """
    text = " ".join(s.text for s in digest.digest)
    sources = [a.text for a in articles]
    by_id = {a.doc_id: a.text for a in articles}
    source_words = sum(word_count(t) for t in sources)
    digest_words = word_count(text)
    scores: dict[str, float | None] = {}
    references = articles[0].references
    if references:
        scores.update(
            metrics.rouge(text, references, settings.rouge_measure, settings.rouge_words, settings.rouge_references, digest.language)
        )
    scores["words"] = digest_words
    scores["compression"] = metrics.compression(source_words, digest_words)
    scores.update(metrics.redundancy(embedder.encode([s.text for s in digest.digest])))
    for n in metrics.NOVEL_NGRAM_SIZES:
        scores[f"novel_{n}grams"] = metrics.novel_ngram_share([s.text for s in digest.digest], sources, n, digest.language)
    scores.update(metrics.coverage(digest.digest, [a.doc_id for a in articles]))
    flags = [list(unsupported(s.text, [by_id[d] for d in s.sources if d in by_id], digest.language)) for s in digest.digest]
    scores["faithful_share"] = metrics.faithful_share(flags)
    scores["summarize_s"] = round(summarize_s, 4)
    scores["summarized_articles"] = len(articles) if summarized is None else summarized
    scores["words_per_s"] = round(source_words / summarize_s, 1) if summarize_s > 0 and summarized in (None, len(articles)) else None
    return scores, flags


def average(per_cluster: Sequence[dict[str, float | None]], names: Sequence[str], settings: CompareSettings) -> dict[str, dict[str, float] | None]:
    """Mean and seeded bootstrap interval of each metric over the clusters where it is defined."""
    averages: dict[str, dict[str, float] | None] = {}
    for name in names:
        values = [scores[name] for scores in per_cluster if scores.get(name) is not None]
        averages[name] = (
            {**metrics.bootstrap_ci(values, settings.resamples, settings.confidence, settings.seed), "clusters": len(values)}
            if values
            else None
        )
    return averages


def _check_configs(configs: Sequence[tuple[str, Config]]) -> None:
    if not configs:
        raise ConfigError("compare needs at least one config: --configs A.yaml B.yaml ...")
    names = [name for name, _ in configs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"config names must be distinct, and {', '.join(repeated)} is given more than once. Rename or copy the file.")
    safe_names(names, "config names")  # each config's digests go to digests/CONFIG/
    first_name, first = configs[0]
    for name, config in configs[1:]:
        if config.data != first.data:
            raise ConfigError(
                f"configs '{first_name}' and '{name}' read the data differently ({first.data.model_dump()} vs "
                f"{config.data.model_dump()}), but a comparison scores every config on the same clusters. "
                "Remove the data section from the configs, and give --split, --limit or --set data.KEY=VALUE, which apply to all."
            )
