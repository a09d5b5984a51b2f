"""``summarizer run --ray`` and ``compare --ray``: the pipeline of :func:`summarizer.pipeline.run`,
and the digests and scores of :func:`summarizer.compare.compare`, on a Ray cluster.

Ray Data holds one row per cluster; ``map_batches`` hands the rows, one at a time, to a pool of
actors. Each actor builds one :class:`summarizer.pipeline.Pipeline` (its models load once) and,
per cluster, summarizes the articles (through the shared per-article cache) and fuses them,
exactly as the local loop does, then writes the digest at once, so a finished cluster survives
any later failure. A table source (JSONL/JSON/CSV, or a folder of them) is read, cleaned and
grouped by Ray Data itself, other sources by the driver (:mod:`summarizer.engine.read`); either
way with the data stage's own rules, which is what makes the digests byte-identical. The driver
collects the digests as they stream back.

``compare --ray`` (:func:`compare_on_ray`) uses the same pool (:func:`_over_pool`) with another
actor, :class:`ComparisonDigester`: it holds every config's pipeline and runs each cluster it
takes under all of them, so the comparison's configs share their loaded models and per-article
summaries as in the local comparison. The driver keeps the rest of the comparison (averages,
intervals, paired tests, the files), whose code is the local one.

Resources: every actor holds ``cpus_per_worker`` CPUs (and ``gpus_per_worker`` GPUs) and runs
torch and CTranslate2 on that many threads, rounded up (:func:`summarizer.threads.use_threads`),
not on every core of its node; the pool leaves ``reserve_cpus`` free for Ray Data's own tasks,
since a pool holding every core starves them and the job hangs (seen with two actors on a
2-core machine). :func:`pool_size` does the arithmetic from ``ray.cluster_resources()``.

Faults: Ray Data restarts a dead actor and retries its cluster; summaries the dead actor had
finished are in the cache folder, so nothing finished is computed again. Every cluster must come
back: one that does not fails the command (:class:`summarizer.errors.IncompleteRunError`, exit
1) naming it, after the digests that did come back are written, and a comparison is not
averaged over part of its clusters. A job that dies as a whole is resumed by running the same
command again.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from ..config import CompareSettings, Config, EngineSettings, default_cache_root
from ..data import collect_skipped, table_sources
from ..errors import ConfigError, IncompleteRunError
from ..output import digest_files, index_page, safe_name, safe_names, stories_json, write_digest, write_index
from ..pipeline import Groups, Pipeline, digest_folder, load_groups, report_skipped
from ..records import Article, Digest, Story
from ..storage import check_writable
from ..threads import use_threads
from .read import RayClusters, from_groups, read_clusters

if TYPE_CHECKING:
    from ..compare import ClusterScore, Comparison

log = logging.getLogger(__name__)

RAY_INSTALL = 'pip install -e ".[ray]"'  # the optional extra (ray[data]), pinned in pyproject.toml


def require_ray() -> Any:
    """The ``ray`` module with Ray Data, or a :class:`ConfigError` (exit 2) giving the install command."""
    try:
        import ray
        import ray.data  # noqa: F401  (the engine needs Data, not only Core)
    except ImportError as exc:
        raise ConfigError(f"--ray needs Ray Data, which is not installed ({exc}). Install it with: {RAY_INSTALL}") from None
    return ray


def pool_size(resources: Mapping[str, float], settings: EngineSettings) -> tuple[int, float, float]:
    """How many actors the cluster holds, and the CPUs and GPUs of each.

    Args:
        resources: ``ray.cluster_resources()`` (``{"CPU": 2.0, "GPU": 0.0, ...}``).
        settings: the requested pool; ``workers`` None takes as many as fit.

    Raises:
        ConfigError: not even one actor fits, or more workers are requested than fit.
    """
    cpus, gpus_total = float(resources.get("CPU", 0)), float(resources.get("GPU", 0))
    gpus = settings.gpus_per_worker if settings.gpus_per_worker is not None else (1.0 if gpus_total >= 1 else 0.0)
    fits = int((cpus - settings.reserve_cpus) // settings.cpus_per_worker) if cpus > settings.reserve_cpus else 0
    if gpus:
        fits = min(fits, int(gpus_total // gpus))
    wanted = settings.workers or fits
    if fits < 1 or wanted > fits:
        raise ConfigError(
            f"the Ray cluster has {cpus:g} CPUs and {gpus_total:g} GPUs; {wanted or 1} workers of {settings.cpus_per_worker:g} CPUs"
            f" and {gpus:g} GPUs each, with {settings.reserve_cpus:g} CPUs left for Ray Data's reads, do not fit. "
            "Ask for fewer workers, lower cpus_per_worker or reserve_cpus, or add nodes."
        )
    return wanted, settings.cpus_per_worker, gpus


class ClusterDigester:
    """A Ray Data actor: loads the config's models once, then digests and writes clusters.

    Args:
        config: the run's config.
        output: local folder or ``pyarrow``-writable URI; None writes nothing.
        total: clusters in the job (one cluster writes into ``output`` itself).
        cache_folder: the driver's cache root (:func:`_use_driver_cache`).
        cpus: the CPUs the actor holds, its thread budget.
    """

    def __init__(self, config: Config, output: str | None, total: int, cache_folder: str, cpus: float):
        _use_driver_cache(cache_folder)
        use_threads(cpus)
        self.pipeline = Pipeline(config)
        self.output, self.total = output, total

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows: dict[str, list] = {"index": [], "digest": [], "reused": [], "summarized": []}
        cache = self.pipeline.cache
        for index, cluster_id, payload in zip(batch["index"], batch["cluster_id"], batch["articles"]):
            articles = pickle.loads(payload)
            hits = cache.hits if cache else 0
            digest = self.pipeline.digest(str(cluster_id), articles, progress=False)
            reused = (cache.hits - hits) if cache else 0
            if self.output is not None:
                _write(digest, self.output, self.total)
            rows["index"].append(int(index))
            rows["digest"].append(pickle.dumps(digest))
            rows["reused"].append(reused)
            rows["summarized"].append(len(articles) - reused if cache else len(articles))
        return rows


class ComparisonDigester:
    """A Ray Data actor for ``compare --ray``: every config's pipeline, then each cluster digested
    and scored under every config.

    The pipelines draw their models from one :class:`summarizer.summarize.SharedModels`, as in
    the local comparison: configs with the same summary settings share a loaded summarizer, and
    since a cluster's configs all run on the one actor that took it, its per-article summaries
    are computed once and their time is counted as the local comparison counts it.

    Args:
        configs: the comparison's configs, in order.
        settings: the ROUGE protocol the scores follow.
        cache_folder: the driver's cache root (:func:`_use_driver_cache`).
        cpus: the CPUs the actor holds, its thread budget.
    """

    def __init__(self, configs: Sequence[Config], settings: CompareSettings, cache_folder: str, cpus: float):
        from ..compare import score_cluster  # scipy and ROUGE: only a comparison's actors load them
        from ..summarize import SharedModels

        _use_driver_cache(cache_folder)
        use_threads(cpus)
        models = SharedModels()
        self.pipelines = [Pipeline(config, models) for config in configs]
        self.settings, self.score = settings, score_cluster

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows: dict[str, list] = {"index": [], "scored": []}
        for index, cluster_id, payload in zip(batch["index"], batch["cluster_id"], batch["articles"]):
            articles = pickle.loads(payload)
            scored = [self.score(pipeline, str(cluster_id), articles, self.settings) for pipeline in self.pipelines]
            rows["index"].append(int(index))
            rows["scored"].append(pickle.dumps(scored))
        return rows


def _use_driver_cache(folder: str) -> None:
    """Make the driver's cache root this actor's: actors on one machine or a shared file system
    then read and fill the driver's per-article and sentence-vector caches, not the
    ``$SUMMARIZER_CACHE`` fixed when Ray started the actor. Configs that name a ``cache.folder``
    are left untouched (and digest.json, which holds the config, stays the local run's)."""
    os.environ["SUMMARIZER_CACHE"] = folder


def _write(digest: Digest, output: str, total: int) -> None:
    """``digest.md``/``.json``/``.html`` into a local folder (atomically) or under a bucket URI,
    laid out as the local run lays them out (``CLUSTER/`` and a link back to ``index.html``
    when there are several clusters)."""
    back = "../index.html" if total > 1 else None
    if _is_local(output):
        write_digest(digest, digest_folder(Path(output.removeprefix("file://")), digest.cluster_id, total), back=back)
        return
    filesystem, root = _bucket(output)
    folder = f"{root.rstrip('/')}/{safe_name(digest.cluster_id)}" if total > 1 else root
    for name, text in digest_files(digest, back).items():
        _put(filesystem, folder, name, text)


def _write_index(digests: list[Digest], output: str, stories: list[Story] | None = None) -> None:
    """``index.html`` (and a feed's ``stories.json``) beside the clusters' folders, once every digest is written."""
    if _is_local(output):
        write_index(digests, Path(output.removeprefix("file://")), stories)
        return
    filesystem, root = _bucket(output)
    if stories is not None:
        _put(filesystem, root.rstrip("/"), "stories.json", stories_json(stories))
    _put(filesystem, root.rstrip("/"), "index.html", index_page(digests, stories))


def _is_local(output: str) -> bool:
    return "://" not in output or output.startswith("file://")


def _bucket(output: str):
    from pyarrow import fs

    return fs.FileSystem.from_uri(output)


def _put(filesystem, folder: str, name: str, text: str) -> None:
    """One object; object stores make each whole object visible at once."""
    filesystem.create_dir(folder, recursive=True)
    with filesystem.open_output_stream(f"{folder}/{name}") as stream:
        stream.write(text.encode("utf-8"))


def run_on_ray(
    source: str | Path,
    config: Config,
    output: str | Path | None = None,
    progress: bool = True,
    on_digest: Callable[[Digest], None] | None = None,
    settings: EngineSettings = EngineSettings(),
    stats: dict[str, int] | None = None,
) -> list[Digest]:
    """:func:`summarizer.pipeline.run` on Ray: the same digests, in input order.

    Args:
        source, config, output, progress, on_digest: as for :func:`summarizer.pipeline.run`;
            ``output`` may also be a URI ``pyarrow`` writes to (``s3://bucket/digests``).
        settings: the cluster address and the actor pool.
        stats: when given, filled with ``reused`` and ``summarized`` article counts (the cache's
            hits and misses over every actor) and ``workers``.

    Connects as :func:`_connected` says. With ``data.stories`` the feed is grouped on the driver
    (one sparse pass, seconds for 10,000 articles; the stored grouping needs a local ``output``,
    a bucket gets none), then the stories are digested on the pool as clusters are.
    """
    ray = require_ray()
    remote = output is not None and "://" in str(output) and not str(output).startswith("file://")
    out = None if output is None else (str(output) if remote else str(check_writable(output)))
    skipped: list[str] = []
    with collect_skipped(skipped):  # a folder of tables warns of the other files in it
        tables = table_sources(source, config.data)
    # the driver reads other sources before Ray starts, so bad input fails at once
    groups = None if tables else load_groups(source, config, None if out is None or remote else Path(out.removeprefix("file://")), skipped)
    with _connected(ray, settings):
        _show_progress(ray, progress)
        if tables:
            with collect_skipped(skipped):
                clusters = read_clusters(ray, tables, str(source), config.data)
        else:
            clusters = from_groups(ray, groups)
        if out is not None and clusters.folders > 1:
            safe_names(clusters.ids, "cluster ids")  # a clash is refused before any digest is written
        digests = _digest_all(ray, clusters, config, out, progress, on_digest, settings, stats)
    done = [d for d in digests if d is not None]
    if out is not None and clusters.folders > 1:
        _write_index(done, out, clusters.stories)  # the clusters that came back stay reachable
    report_skipped(skipped)
    _check_complete(clusters.ids, digests, "digest")
    return done


@contextmanager
def _connected(ray, settings: EngineSettings) -> Iterator[None]:
    """Ray for the block: the one already initialised in this process if there is one (left
    running); otherwise a connection to ``settings.address`` (None: ``$RAY_ADDRESS``, else a new
    local Ray), shut down afterwards."""
    started = not ray.is_initialized()
    if started:
        ray.init(address=settings.address, logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield
    finally:
        if started:
            ray.shutdown()


def _show_progress(ray, progress: bool) -> None:
    """Ray Data's progress bars, and its line per dataset started and finished, only with ``progress``
    (``-q`` keeps stderr to the warnings)."""
    ray.data.DataContext.get_current().enable_progress_bars = progress
    logging.getLogger("ray.data").setLevel(logging.INFO if progress else logging.WARNING)


def _over_pool(ray, clusters: RayClusters, actor: type, kwargs: dict[str, Any], settings: EngineSettings) -> tuple[int, Iterator[dict[str, Any]]]:
    """The pool's size, and the rows ``actor`` returns for the rows of ``clusters`` (``index``,
    ``cluster_id``, pickled ``articles``), as they stream back.

    ``actor`` is built once per pool slot with ``kwargs``, the driver's ``cache_folder`` and the
    ``cpus`` each actor holds.
    """
    workers, cpus, gpus = pool_size(ray.cluster_resources(), settings)
    log.info("Ray: %d clusters on %d worker(s) of %g CPUs and %g GPUs each", len(clusters.ids), workers, cpus, gpus)
    dataset = clusters.rows.map_batches(
        actor,
        fn_constructor_kwargs={**kwargs, "cache_folder": str(default_cache_root()), "cpus": cpus},
        batch_size=1,  # one cluster per call: its results come back as soon as they are done
        # a fixed pool; two clusters in flight per actor hide the hand-over without hoarding work
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=2),
        num_cpus=cpus,
        num_gpus=gpus,
    )
    return workers, dataset.iter_rows()


def _digest_all(ray, clusters: RayClusters, config, out, progress, on_digest, settings, stats) -> list[Digest | None]:
    """Each cluster's digest in input order, None for one the pool never returned."""
    kwargs = {"config": config, "output": out, "total": clusters.folders}
    workers, rows = _over_pool(ray, clusters, ClusterDigester, kwargs, settings)
    digests: list[Digest | None] = [None] * len(clusters.ids)
    counts = {"reused": 0, "summarized": 0, "workers": workers}
    start = time.perf_counter()
    for row in rows:
        digest = pickle.loads(row["digest"])
        digests[row["index"]] = digest
        counts["reused"] += int(row["reused"])
        counts["summarized"] += int(row["summarized"])
        if on_digest is not None:
            on_digest(digest)
    returned = sum(d is not None for d in digests)
    log.info("Ray: %d digests in %.1f s (%d article summaries reused from the cache)", returned, time.perf_counter() - start, counts["reused"])
    if stats is not None:
        stats.update(counts)
    return digests


def _check_complete(ids: Sequence[str], results: Sequence[Any], what: str) -> None:
    """Refuse a run that lost clusters: ``results`` (in the order of ``ids``) holds None or an
    empty list for each cluster the pool never returned.

    Raises:
        IncompleteRunError: naming every cluster that did not come back.
    """
    lost = [cluster_id for cluster_id, result in zip(ids, results) if result is None or result == []]
    if lost:
        raise IncompleteRunError(
            f"{len(lost)} of {len(ids)} clusters never came back from the Ray workers, so they have no {what}: "
            f"{', '.join(repr(c) for c in lost)}. Check the Ray logs (a worker that died or ran out of memory), "
            "then run the same command again: finished summaries are read from the cache."
        )


def compare_on_ray(
    source: str | Path,
    configs: Sequence[tuple[str, Config]],
    settings: CompareSettings = CompareSettings(),
    progress: bool = True,
    engine: EngineSettings = EngineSettings(),
) -> Comparison:
    """:func:`summarizer.compare.compare` on Ray: the same comparison, timings aside.

    Args:
        source, configs, settings, progress: as for :func:`summarizer.compare.compare`.
        engine: the cluster address and the actor pool.

    The clusters go to the pool, one row each; the actor that takes one digests and scores it
    under every config (:class:`ComparisonDigester`). The comparison's own code does the rest
    here. Connects as :func:`_connected` says.
    """
    from ..compare import compare  # scipy and ROUGE: imported by a comparison, not by run --ray

    ray = require_ray()  # before the data loads
    return compare(source, configs, settings, progress, scorer=partial(_score_on_pool, ray, engine))


def _score_on_pool(ray, engine: EngineSettings, grouped: Mapping[str, list[Article]], configs: Sequence[tuple[str, Config]],
                   settings: CompareSettings, progress: bool) -> list[list[ClusterScore]]:
    """The scorer of :func:`compare_on_ray`: per config, one score per cluster, in cluster order."""
    per_cluster: list[list[ClusterScore]] = [[] for _ in grouped]
    with _connected(ray, engine):
        _show_progress(ray, progress)
        clusters = from_groups(ray, Groups(grouped))
        kwargs = {"configs": [config for _, config in configs], "settings": settings}
        workers, rows = _over_pool(ray, clusters, ComparisonDigester, kwargs, engine)
        start = time.perf_counter()
        for row in rows:
            per_cluster[row["index"]] = pickle.loads(row["scored"])
    log.info("Ray: %d clusters under %d configs on %d worker(s) in %.1f s", len(grouped), len(configs), workers, time.perf_counter() - start)
    _check_complete(clusters.ids, per_cluster, "scores")  # an average over the clusters that came back would pass for the whole
    return [list(column) for column in zip(*per_cluster)]
