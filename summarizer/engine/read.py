"""How the clusters of ``run --ray`` get into Ray: read by Ray Data in parallel, or handed over
by the driver.

A JSONL/JSON/CSV file, or a folder of such files, is read by Ray Data itself
(:func:`read_clusters`), so the driver never holds the articles:

1. ``read_binary_files``: one read task per file, on any node;
2. ``flat_map``: the data stage's own parser (:func:`summarizer.data.file_part`) turns a file
   into one row per raw article, each with its place in the input (file number, then record
   number);
3. ``groupby("cluster_id").map_groups``: each cluster's rows in input order are cleaned, rid of
   exact duplicates and made :class:`Article` s (:func:`summarizer.data.cluster_part`), one row
   per cluster, in parallel over the clusters;
4. ``materialize``: the clusters wait in Ray's object store for the actor pool; the driver takes
   only their ids, first places and the warnings the workers raised, and logs those again.

Because each step is the local loader's own code and the clusters keep the local order (first
seen first, articles in input order), the digests are the local run's byte for byte.
``read_json`` is not used for step 1: pyarrow infers each column's type, so an ISO ``date``
comes back as a timestamp and a ``doc_id`` that is a number on one line and a string on the
next fails the read, and record numbers (the default ids and the error messages use them) are
lost. The parallelism is over files and over clusters: a single file is read by one task, then
cleaned cluster by cluster on every worker.

Which sources go this way is :func:`summarizer.data.table_sources`' choice; every other source
(folders of article files, Hugging Face datasets, a feed grouped into stories, ``data.limit``)
is read on the driver as the local run reads it (:func:`from_groups`).
"""

from __future__ import annotations

import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterator

from ..config import DataSettings
from ..data import cluster_part, file_part, log_again, no_usable_article
from ..errors import InputError
from ..records import Story

PLACE = 1 << 32  # a row's place in the input: file number * PLACE + row number within the file


@dataclass(frozen=True)
class RayClusters:
    """The clusters of a run, as the actor pool takes them.

    Attributes:
        ids: cluster ids in input order (a digest's place in the output).
        rows: a Ray Dataset, one row per cluster: ``index`` (in ``ids``), ``cluster_id`` and the
            pickled list of its :class:`Article` s.
        stories: a feed's stories (``data.stories``), else None.
        folders: the cluster count the writers lay out folders by.
    """

    ids: list[str]
    rows: Any
    stories: list[Story] | None
    folders: int


def from_groups(ray, groups) -> RayClusters:
    """The clusters the driver read (:func:`summarizer.pipeline.load_groups`), one block each so
    any idle actor can take the next."""
    items = [{"index": i, "cluster_id": cid, "articles": pickle.dumps(articles)} for i, (cid, articles) in enumerate(groups.clusters.items())]
    rows = ray.data.from_items(items, override_num_blocks=max(1, len(items)))
    return RayClusters(list(groups.clusters), rows, groups.stories, groups.folders)


def read_clusters(ray, files: list[Path], source: str, settings: DataSettings) -> RayClusters:
    """The clusters of ``files`` (:func:`summarizer.data.table_sources`), read, cleaned and grouped
    by Ray Data (the module's steps).

    Raises:
        InputError: the first error in input order (a broken line, a missing text column), or
            no usable article at all: the local run's messages.
    """
    places = {os.path.abspath(f): (number, str(f)) for number, f in enumerate(files)}
    with _sort_shuffle(ray):
        clusters = (
            ray.data.read_binary_files(list(places), include_paths=True)
            .flat_map(partial(_file_rows, places=places, settings=settings))
            # a few shuffle partitions per CPU, not Ray's default 200 (each a task of its own)
            .groupby("cluster_id", num_partitions=max(2, 2 * int(ray.cluster_resources().get("CPU", 1))))
            .map_groups(partial(_cluster_row, source=source, settings=settings), batch_format="pyarrow")
            .materialize()
        )
    found = sorted(clusters.select_columns(["cluster_id", "first", "size", "notes", "errors"]).take_all(), key=lambda row: row["first"])
    errors: list[tuple[int, str]] = []
    for row in found:
        log_again(pickle.loads(row["notes"]))
        errors += pickle.loads(row["errors"])
    if errors:
        raise InputError(min(errors)[1])
    ids = [row["cluster_id"] for row in found if row["size"]]
    if not ids:
        raise no_usable_article(source, settings)
    index = {cluster_id: number for number, cluster_id in enumerate(ids)}
    rows = clusters.flat_map(partial(_indexed, index=index)).repartition(len(ids))  # a block per cluster: any idle actor takes the next
    return RayClusters(ids, rows, None, len(ids))


@contextmanager
def _sort_shuffle(ray) -> Iterator[None]:
    """Ray Data's sort-based shuffle for the block, the context as it was afterwards.

    Grouping the 30 DUC 2003 clusters took 10.9 s with Ray 2.60's default shuffle (``shuffle_v2``,
    which starts aggregator actors), 3.8-4.2 s with ``hash_shuffle`` and 0.7-1.5 s with the
    pull-based sort shuffle (measured side by side in one run, 2 cores)."""
    from ray.data.context import ShuffleStrategy

    context = ray.data.DataContext.get_current()
    before, context.shuffle_strategy = context.shuffle_strategy, ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    try:
        yield
    finally:
        context.shuffle_strategy = before


def _file_rows(file: dict[str, Any], places: dict[str, tuple[int, str]], settings: DataSettings) -> Iterator[dict[str, Any]]:
    """One file's raw article rows, each with its place; first a row of the file's own warnings
    and error (cluster id "", which no article has: the parser always gives one). The file is
    named as the user named it, so the messages are the local run's."""
    number, name = places[os.path.abspath(file["path"])]
    start = number * PLACE
    part = file_part(file["bytes"], Path(name), settings)
    errors = [] if part.error is None else [(start + len(part.rows), part.error)]
    yield {"cluster_id": "", "place": start, "row": b"", "notes": pickle.dumps(part.notes), "errors": pickle.dumps(errors)}
    for offset, row in enumerate(part.rows, start=1):
        yield {"cluster_id": row["cluster_id"], "place": start + offset, "row": pickle.dumps(row), "notes": b"", "errors": b""}


def _cluster_row(group, source: str, settings: DataSettings):
    """One cluster's rows (a pyarrow table), in input order, made the cluster
    (:func:`summarizer.data.cluster_part`); the files' own row gathers their warnings and errors."""
    import pyarrow as pa

    group = group.sort_by("place")
    cluster_id, first = group["cluster_id"][0].as_py(), group["place"][0].as_py()
    articles: list = []
    notes: list[tuple[str, str]] = []
    errors: list[tuple[int, str]] = []
    if cluster_id == "":
        for note, error in zip(group["notes"].to_pylist(), group["errors"].to_pylist()):
            notes += pickle.loads(note)
            errors += pickle.loads(error)
    else:
        part = cluster_part(cluster_id, [pickle.loads(row) for row in group["row"].to_pylist()], source, settings)
        articles, notes = part.articles, part.notes
    return pa.table({
        "cluster_id": [cluster_id], "first": [first], "size": [len(articles)], "articles": [pickle.dumps(articles)],
        "notes": [pickle.dumps(notes)], "errors": [pickle.dumps(errors)],
    })


def _indexed(row: dict[str, Any], index: dict[str, int]) -> Iterator[dict[str, Any]]:
    """A cluster's row for the pool, with its place in the output; nothing for the files' own row
    and for a cluster left with no article."""
    if row["cluster_id"] in index:
        yield {"index": index[row["cluster_id"]], "cluster_id": row["cluster_id"], "articles": row["articles"]}
