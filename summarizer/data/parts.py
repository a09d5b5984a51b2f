"""A table source read in parts, file by file and cluster by cluster, by workers that may run
in other processes (``run --ray``'s reader, :mod:`summarizer.engine.read`).

Each part is the loader's own code (:mod:`summarizer.data.load`), so the parts put together in
input order give what :func:`~summarizer.data.load.load_articles` gives: the same articles,
the same warnings, the same errors. A worker's warnings travel back as data
(:attr:`FilePart.notes`, :attr:`ClusterPart.notes`), since its log is not the user's, and
:func:`log_again` logs them on the driver.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..config import DataSettings
from ..errors import InputError
from ..records import Article
from .load import (
    TABLE_SUFFIXES, Collect, article_of, clean_row, is_saved_dataset, no_usable_article, skip_log, table_files, table_rows, unique_rows,
    warn_lost_cluster,
)

DATA_LOGGER = "summarizer.data"  # the stage's loggers: load, load.skipped, textfile


@dataclass(frozen=True)
class FilePart:
    """One table file parsed: its raw article rows in input order (each the loader's row dict,
    cleaned later, cluster by cluster), the warnings raised, and the error that stopped it."""

    rows: list[dict[str, Any]]
    notes: list[tuple[str, str]]  # (logger name, message)
    error: str | None


@dataclass(frozen=True)
class ClusterPart:
    """One cluster's raw rows made its articles, with the warnings raised on the way."""

    articles: list[Article]
    notes: list[tuple[str, str]]


def table_sources(source: str | Path, settings: DataSettings) -> list[Path] | None:
    """The table files ``source`` is read from in parts: a JSONL/JSON/CSV file, or a folder of
    them (in name order). None for every other source, and for reads that need the whole stream
    at once: a feed to group into stories (``data.stories``) and the first N clusters
    (``data.limit``)."""
    if settings.stories or settings.limit is not None:
        return None
    path = Path(source)
    if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        return [path]
    if path.is_dir() and not is_saved_dataset(path):
        return table_files(path) or None
    return None


def file_part(data: bytes, path: Path, settings: DataSettings) -> FilePart:
    """The raw rows of one table file, given its bytes; ``path`` names it in the messages as the
    user named it."""
    notes: list[tuple[str, str]] = []
    rows: list[dict[str, Any]] = []
    with _collecting(notes):
        try:
            rows.extend(table_rows(data, path, settings))
        except InputError as exc:
            return FilePart(rows, notes, str(exc))
    return FilePart(rows, notes, None)


def cluster_part(cluster_id: str, rows: list[dict[str, Any]], source: str, settings: DataSettings) -> ClusterPart:
    """One cluster's raw rows (in input order) cleaned, rid of exact duplicates and made
    articles; a cluster left with none is warned about, as the loader does."""
    notes: list[tuple[str, str]] = []
    with _collecting(notes):
        cleaned = (row for row in (clean_row(raw, source, settings) for raw in rows) if row is not None)
        articles = [article_of(row) for row in unique_rows(cleaned, source)]
        if not articles:
            warn_lost_cluster(source, cluster_id, len(rows))
    return ClusterPart(articles, notes)


def log_again(notes: list[tuple[str, str]]) -> None:
    """Warnings raised on a worker, logged here by the logger that raised them."""
    for name, message in notes:
        logging.getLogger(name).warning("%s", message)


@contextmanager
def collect_skipped(into: list[str]) -> Iterator[None]:
    """The messages of the skip warnings logged in the block, appended to ``into`` (the run's
    closing summary of skipped input)."""
    handler = Collect(into)
    skip_log.addHandler(handler)
    try:
        yield
    finally:
        skip_log.removeHandler(handler)


@contextmanager
def _collecting(into: list[tuple[str, str]]) -> Iterator[None]:
    handler = Collect(into, names=True)
    logging.getLogger(DATA_LOGGER).addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger(DATA_LOGGER).removeHandler(handler)
