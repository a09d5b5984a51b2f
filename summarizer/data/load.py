"""The dataset wrapper: any supported source in, one ``datasets.Dataset`` row per article out.

Sources:
- a folder of ``.txt``/``.md`` files, one article each (first line = title), is one cluster;
  a folder whose sub-folders hold such files is one cluster per sub-folder;
- a ``.jsonl``, ``.json`` or ``.csv`` file of articles (column names in ``DataSettings``), or
  of whole clusters (``{"cluster_id", "documents": [...], "references": [...]}`` per line);
- a Hugging Face dataset, by hub name or a ``save_to_disk`` folder, including the
  Multi-News layout (all articles of a cluster in one field, joined by ``|||||``).

Every row is cleaned (:mod:`summarizer.data.clean`); empty articles and exact duplicates within a
cluster are dropped with a warning, over-long articles are cut to ``data.max_article_words``
with a warning, each article's language is detected, and articles in another language than a forced
``data.language`` are warned about.
Files in other encodings, binary files and HTML pages are handled by :mod:`summarizer.data.textfile`
(decoded, skipped or stripped, each with a warning). This is the only module that imports
``datasets``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterable, Iterator

import datasets

from ..config import DataSettings
from ..errors import InputError
from ..records import Article
from ..text import MAX_PARAGRAPH_WORDS, bound_paragraphs, detect_language, word_count
from .clean import clean_text
from .textfile import decode_bytes, encoding_warning, read_article_file

log = logging.getLogger(__name__)
#: Warnings about input left out (files, articles, clusters); :func:`load_articles` also
#: collects them, for the run's closing summary of what was skipped.
skip_log = logging.getLogger(f"{__name__}.skipped")

ARTICLE_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".jsonl", ".json", ".csv")
MULTI_NEWS_SEPARATOR = "|||||"
HEADLINE_MAX_WORDS = 25  # a longer first line is a paragraph, not a title

FEATURES = datasets.Features(
    {
        "cluster_id": datasets.Value("string"),
        "doc_id": datasets.Value("string"),
        "title": datasets.Value("string"),
        "text": datasets.Value("string"),
        "references": datasets.Sequence(datasets.Value("string")),
        "language": datasets.Value("string"),  # detected (ISO 639-1), "" without a confident verdict
        "date": datasets.Value("string"),  # as given ("2021-08-16", "2021-08-16T09:30:00Z"), "" when absent
    }
)


def load_articles(source: str | Path, settings: DataSettings = DataSettings(), skipped: list[str] | None = None) -> datasets.Dataset:
    """Load, clean and de-duplicate articles from any supported source.

    Args:
        source: a folder, a table file, or a Hugging Face dataset name or saved folder.
        settings: column names, split and cluster limit.
        skipped: when given, receives the message of every file, article or cluster left
            out (each is also logged as a warning when it happens).

    Returns:
        A dataset with columns cluster_id, doc_id, title, text, references, date, in input order.

    Raises:
        InputError: the source does not exist, cannot be parsed, or holds no usable article.
    """
    collector = Collect(skipped if skipped is not None else [])
    skip_log.addHandler(collector)
    try:
        rows = _limit_clusters(_read_rows(source, settings), settings.limit)
        cleaned = list(_clean_rows(rows, str(source), settings))
    finally:
        skip_log.removeHandler(collector)
    if not cleaned:
        raise no_usable_article(source, settings)
    return datasets.Dataset.from_list(cleaned, features=FEATURES)


def no_usable_article(source: str | Path, settings: DataSettings) -> InputError:
    """The error of a source whose every article was left out."""
    return InputError(
        f"{source}: no usable article found (every article was empty after cleaning). "
        f"Give a folder of .txt/.md files, or a .jsonl/.json/.csv file (or a folder of them) whose text column is "
        f"'{settings.text_column}' (change it with --set data.text_column=NAME)."
    )


class Collect(logging.Handler):
    """Appends each warning's message to a list (the records still reach stderr); with
    ``names``, the pair (logger name, message), so another process can log it again as it was."""

    def __init__(self, into: list, names: bool = False):
        super().__init__(logging.WARNING)
        self.into, self.names = into, names

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.getMessage()) if self.names else record.getMessage())


def clusters(dataset: datasets.Dataset) -> "OrderedDict[str, list[Article]]":
    """Group dataset rows into clusters of :class:`Article`, keeping first-seen order."""
    grouped: OrderedDict[str, list[Article]] = OrderedDict()
    for row in dataset:
        article = article_of(row)
        grouped.setdefault(article.cluster_id, []).append(article)
    return grouped


def article_of(row: dict[str, Any]) -> Article:
    """The :class:`Article` of one cleaned row."""
    return Article(
        row["cluster_id"], row["doc_id"], row["title"], row["text"], tuple(row["references"]), language=row["language"], date=row["date"] or ""
    )


def _read_rows(source: str | Path, settings: DataSettings) -> Iterator[dict[str, Any]]:
    """Dispatch on the kind of source; every reader yields raw article dicts."""
    path = Path(source)
    if path.is_dir() and is_saved_dataset(path):
        yield from _hf_rows(datasets.load_from_disk(str(path)), settings, path.name)
    elif path.is_dir() and (tables := table_files(path)):
        for table in tables:  # in name order, as if they were one file
            yield from table_rows(_read_bytes(table), table, settings)
    elif path.is_dir():
        yield from _folder_rows(path)
    elif path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        yield from table_rows(_read_bytes(path), path, settings)
    elif path.is_file():
        raise InputError(
            f"{path}: unsupported file type '{path.suffix}'. Give a folder of .txt/.md articles, "
            f"or a {'/'.join(TABLE_SUFFIXES)} file."
        )
    elif path.suffix or path.is_absolute() or str(source).startswith("."):
        raise InputError(f"{source}: no such file or folder. Check the path.")
    else:
        yield from _hf_rows(_load_hub_dataset(str(source), settings.split), settings, str(source))


def _folder_rows(folder: Path) -> Iterator[dict[str, Any]]:
    """One cluster per folder: its own article files, or one cluster per sub-folder.

    Other files (images, PDFs) are skipped with a warning naming them, and so are article
    files that turn out to be binary; a folder left with no readable article is an error.
    """
    files = _article_files(folder)
    subfolders = [d for d in sorted(folder.iterdir()) if d.is_dir() and _article_files(d)]
    ignored = _other_files(folder)
    for entry in _irregular_entries(folder):
        skip_log.warning("%s: skipped, not a regular file (a named pipe, socket, device or broken link).", entry)
    if not files and not subfolders:
        found = f" It holds only: {', '.join(p.name for p in ignored[:10])}{' ...' if len(ignored) > 10 else ''}." if ignored else " It is empty."
        raise InputError(
            f"{folder}: no article files found.{found} Put one article per .txt or .md file in the folder "
            "(first line = title), or one such folder per cluster inside it."
        )
    for cluster_folder, cluster_files in [(folder, files)] + [(d, _article_files(d)) for d in subfolders]:
        if cluster_folder != folder:
            for entry in _irregular_entries(cluster_folder):
                skip_log.warning("%s: skipped, not a regular file (a named pipe, socket, device or broken link).", entry)
        for other in ignored if cluster_folder == folder else _other_files(cluster_folder):
            skip_log.warning("%s: skipped, only .txt and .md files are read as articles.", other)
        for file in cluster_files:
            read = read_article_file(file)
            for warning in read.warnings:
                (log if read.text is not None else skip_log).warning("%s", warning)
            if read.text is not None:
                # title None: taken from the first line after cleaning, if it reads as a headline
                yield {"cluster_id": cluster_folder.name, "doc_id": file.stem, "title": None, "text": read.text}


def table_files(folder: Path) -> list[Path]:
    """The .jsonl/.json/.csv files of a folder that holds no article files (nor folders of them),
    in name order; such a folder is read as one table (a feed split into a file per hour, say).
    Its other visible files are skipped with a warning."""
    if _article_files(folder) or any(d.is_dir() and _article_files(d) for d in folder.iterdir()):
        return []
    tables = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES)
    if tables:
        for other in _other_files(folder):
            if other not in tables:
                skip_log.warning("%s: skipped, a folder of tables is read from its %s files only.", other, "/".join(TABLE_SUFFIXES))
    return tables


def _article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def _irregular_entries(folder: Path) -> list[Path]:
    """Entries that are neither folders nor regular files: told apart by their status alone,
    because opening a named pipe waits for a writer that may never come."""
    return sorted(p for p in folder.iterdir() if not p.is_dir() and not p.is_file() and not p.name.startswith("."))


def _other_files(folder: Path) -> list[Path]:
    """Visible files that are not articles (hidden ones such as .DS_Store are not worth a warning)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in ARTICLE_SUFFIXES and not p.name.startswith("."))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}). Check its permissions.") from None


def _decode_table(data: bytes, path: Path) -> str:
    """A table file's bytes as UTF-8, or in the encoding detected (with a warning); binary is an error."""
    text, encoding = decode_bytes(data)
    if text is None:
        raise InputError(f"{path}: not a text file (binary content). Give a UTF-8 .jsonl/.json/.csv file.")
    if encoding:
        log.warning("%s", encoding_warning(path, encoding))
    return text


def table_rows(data: bytes, path: Path, settings: DataSettings) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL/JSON/CSV file given its bytes (``path`` names it and says its kind):
    articles, or whole clusters with a ``documents`` list. Ray's readers hand over the bytes."""
    records = list(_parse_table(data, path))
    if not records:
        raise InputError(f"{path}: the file holds no records.")
    for number, record in enumerate(records, start=1):
        if "documents" in record:
            yield from _cluster_record_rows(record, path, number)
        else:
            yield from _article_record_rows(record, settings, default_cluster=path.stem, default_id=f"{number:04d}", where=f"{path}, record {number}")


def _parse_table(data: bytes, path: Path) -> Iterator[dict[str, Any]]:
    """Parse a table file into dicts; a broken line is reported with its number."""
    text = _decode_table(data, path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from csv.DictReader(io.StringIO(text, newline=""))  # not splitlines(): quoted fields may hold line breaks
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.") from None
        records = data if isinstance(data, list) else [data]
        for record in records:
            yield _require_mapping(record, path)
    else:
        # split on "\n" only: splitlines() also breaks at U+2028, U+0085 and other characters
        # that JSON strings may hold raw, which would cut a valid record in two
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    yield _require_mapping(json.loads(line), path, number)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"{path}: line {number} is not valid JSON ({exc.msg} at column {exc.colno}). "
                        "Fix or delete that line; each line must be one JSON object."
                    ) from None


def _require_mapping(record: Any, path: Path, line: int | None = None) -> dict[str, Any]:
    if not isinstance(record, dict):
        where = f" line {line}" if line else ""
        raise InputError(f"{path}{where}: expected a JSON object, got {type(record).__name__}.")
    return record


def _cluster_record_rows(record: dict[str, Any], path: Path, number: int) -> Iterator[dict[str, Any]]:
    """Rows of one cluster record in the MultiLing-style layout."""
    cluster_id = str(record.get("cluster_id") or f"{path.stem}-{number:04d}")
    references = _as_references(record.get("references", record.get("reference")))
    if not isinstance(record["documents"], list) or not record["documents"]:
        skip_log.warning("%s: cluster '%s' (record %d) has no documents; skipped.", path, cluster_id, number)
        return
    for index, document in enumerate(record["documents"], start=1):
        if not isinstance(document, dict) or "text" not in document:
            raise InputError(f"{path}, record {number}, document {index}: expected an object with a 'text' field.")
        yield {
            "cluster_id": cluster_id,
            "doc_id": str(document.get("doc_id") or f"{cluster_id}-{index:03d}"),
            "title": str(document.get("title") or ""),
            "text": str(document["text"] or ""),
            "references": references,
            "date": str(document.get("date") or ""),
        }


def _article_record_rows(record: dict[str, Any], settings: DataSettings, default_cluster: str, default_id: str, where: str) -> Iterator[dict[str, Any]]:
    """Rows of one flat record; a Multi-News style field holding many articles yields several."""
    if settings.text_column not in record:
        raise InputError(
            f"{where}: no '{settings.text_column}' column. Columns present: {', '.join(map(str, record))}. "
            f"Choose one with --set data.text_column=NAME."
        )
    cluster_id = str(record.get(settings.cluster_column) or default_cluster)
    doc_id = str(record.get(settings.id_column) or default_id)
    references = _as_references(record.get(settings.reference_column))
    text = str(record[settings.text_column] or "")
    parts = [p for p in text.split(MULTI_NEWS_SEPARATOR) if p.strip()] if MULTI_NEWS_SEPARATOR in text else [text]
    if len(parts) > 1:
        cluster_id = str(record.get(settings.cluster_column) or doc_id)
    for index, part in enumerate(parts, start=1):
        yield {
            "cluster_id": cluster_id,
            "doc_id": doc_id if len(parts) == 1 else f"{doc_id}-{index:02d}",
            "title": str(record.get(settings.title_column) or ""),
            "text": part,
            "references": references,
            "date": str(record.get(settings.date_column) or ""),
        }


def _as_references(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if str(v).strip()]


def is_saved_dataset(path: Path) -> bool:
    return (path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file() or (path / "state.json").is_file()


def _load_hub_dataset(name: str, split: str) -> datasets.Dataset:
    """Load a hub dataset split; failures become one message with the ways forward."""
    try:
        loaded = datasets.load_dataset(name, split=split)
    except Exception as exc:  # datasets raises many unrelated types for "cannot get it"
        raise InputError(
            f"'{name}' is not a local file or folder, and loading it as a Hugging Face dataset "
            f"(split '{split}') failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}. "
            "Check the path; for a hub dataset, run once with network access (it is then cached), "
            "or save it with Dataset.save_to_disk and pass that folder."
        ) from None
    return loaded


def _hf_rows(dataset: Any, settings: DataSettings, name: str) -> Iterator[dict[str, Any]]:
    """Rows of a loaded HF dataset; Multi-News columns (document, summary) are recognised."""
    if isinstance(dataset, datasets.DatasetDict):
        if settings.split not in dataset:
            raise InputError(f"{name}: no split '{settings.split}'. Splits: {', '.join(dataset)}. Use --set data.split=NAME.")
        dataset = dataset[settings.split]
    columns = set(dataset.column_names)
    if settings.text_column not in columns and {"document", "summary"} <= columns:
        settings = settings.model_copy(update={"text_column": "document", "reference_column": "summary"})
    for number, record in enumerate(dataset, start=1):
        yield from _article_record_rows(record, settings, default_cluster=f"{name}-{number:05d}", default_id=f"{number:05d}", where=f"{name}, row {number}")


def _limit_clusters(rows: Iterable[dict[str, Any]], limit: int | None) -> Iterator[dict[str, Any]]:
    """Stop after ``limit`` distinct clusters (rows of a cluster are assumed contiguous)."""
    seen: set[str] = set()
    for row in rows:
        if limit is not None and row["cluster_id"] not in seen and len(seen) >= limit:
            return
        seen.add(row["cluster_id"])
        yield row


def _clean_rows(rows: Iterable[dict[str, Any]], source: str, settings: DataSettings) -> Iterator[dict[str, Any]]:
    """Clean every row (:func:`clean_row`), then drop exact duplicates within a cluster
    (:func:`unique_rows`), and say so of a cluster none of whose articles is left."""
    given: dict[str, int] = {}  # cluster id -> articles read, kept or not
    kept: set[str] = set()

    def cleaned() -> Iterator[dict[str, Any]]:
        for row in _announce_lost_clusters(rows, source, given, kept):
            given[row["cluster_id"]] = given.get(row["cluster_id"], 0) + 1
            if (clean := clean_row(row, source, settings)) is not None:
                yield clean

    for row in unique_rows(cleaned(), source):
        kept.add(row["cluster_id"])
        yield row


def clean_row(row: dict[str, Any], source: str, settings: DataSettings) -> dict[str, Any] | None:
    """One article row cleaned: its title taken from the first line when it has none, cut to
    ``data.max_article_words``, its paragraphs bounded and its language detected, each change
    warned about; None (with a warning) when nothing is left of it.

    Rows are independent here, which is what lets Ray clean them on many workers."""
    text = clean_text(row["text"])
    title = row.get("title")
    if title is None:
        title, text = _split_headline(text)
    if not text:
        skip_log.warning("%s: article '%s' is empty after cleaning; skipped.", source, row["doc_id"])
        return None
    words = word_count(text)
    if settings.max_article_words is not None and words > settings.max_article_words:
        text = trim_article(text, settings.max_article_words)
        log.warning(
            "%s: article '%s' has %d words; only its first %d are used (raise data.max_article_words to keep more).",
            source, row["doc_id"], words, word_count(text),
        )
    text, longest = bound_paragraphs(text)
    if longest > MAX_PARAGRAPH_WORDS:
        log.warning(
            "%s: article '%s' has a paragraph of %d words (no paragraph breaks: a table or transcript?); "
            "split into pieces of at most %d words before sentence splitting, so a sentence may be cut at a piece's end.",
            source, row["doc_id"], longest, MAX_PARAGRAPH_WORDS,
        )
    detected = detect_language(text) or ""
    forced = settings.language not in (None, "auto")
    if forced and detected and detected != settings.language:
        log.warning(
            "%s: article '%s' looks like language '%s', not '%s'; data.language forces '%s' rules on it "
            "(sentences, words, embedder), so its summary may be poor. Remove it, or set data.language to auto.",
            source, row["doc_id"], detected, settings.language, settings.language,
        )
    return {
        **row, "title": clean_text(title), "text": text, "references": row.get("references", []),
        "language": detected, "date": row.get("date") or "",
    }


def unique_rows(rows: Iterable[dict[str, Any]], source: str) -> Iterator[dict[str, Any]]:
    """``rows`` (cleaned) without the exact duplicates of an earlier article of the same
    cluster, each dropped with a warning naming the one it repeats. Case and spacing do not count."""
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["cluster_id"], hashlib.sha256(" ".join(row["text"].split()).lower().encode()).hexdigest())
        if key in seen:
            skip_log.warning("%s: article '%s' duplicates '%s' exactly; skipped.", source, row["doc_id"], seen[key])
            continue
        seen[key] = row["doc_id"]
        yield row


def warn_lost_cluster(source: str, cluster_id: str, given: int) -> None:
    """The warning for a cluster none of whose ``given`` articles is usable (each article's own
    warning does not say that the whole cluster is gone)."""
    skip_log.warning("%s: cluster '%s': none of its %d articles is usable; skipped.", source, cluster_id, given)


def _announce_lost_clusters(rows: Iterable[dict[str, Any]], source: str, given: dict[str, int], kept: set[str]) -> Iterator[dict[str, Any]]:
    """Pass ``rows`` through; when a cluster's rows end (rows of a cluster are contiguous) and
    :func:`_clean_rows` kept none of them, say so (:func:`warn_lost_cluster`)."""
    current = None
    for row in [*rows, None]:
        cluster = None if row is None else row["cluster_id"]
        if current is not None and cluster != current and current not in kept:
            warn_lost_cluster(source, current, given[current])
        current = cluster
        if row is not None:
            yield row


def trim_article(text: str, limit: int) -> str:
    """The first ``limit`` words of ``text``, cut after a whole line where one ends in time.

    Cutting at a line end keeps the last paragraph whole; when that would keep less than half
    the limit (a giant line), the line is cut at the word itself.
    """
    kept: list[str] = []
    total = 0
    for line in text.splitlines():
        count = word_count(line)
        if total + count > limit:
            if total < limit // 2:  # stopping at the line end would lose too much
                kept.append(" ".join(line.split()[: limit - total]))
            break
        kept.append(line)
        total += count
    return "\n".join(kept).strip()


def _split_headline(text: str) -> tuple[str, str]:
    """Take the first line as the title when it reads as a headline: short, no closing full stop.

    Many saved articles start straight with the first paragraph; that line stays in the text.
    """
    first, _, rest = text.partition("\n")
    first = first.lstrip("# ").strip()
    if rest.strip() and len(first.split()) <= HEADLINE_MAX_WORDS and not first.endswith((".", "!", "?", '"', "”")):
        return first, rest.strip()
    return "", text
