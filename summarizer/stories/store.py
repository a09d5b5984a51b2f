"""The stories grouped so far, kept in the output folder (``OUTPUT/.stories/``) so that the next
run over a grown feed puts only the new articles into stories and every story keeps its id.

Two files: ``counts.npz``, the hashed term counts of every article grouped so far (its row
order is the order articles were assigned), and ``assignments.json``: per row the doc id, a hash
of the text, the story number, language and date, plus the story ids and the settings they were
grouped with. The counts are written first, the assignments last, so a run interrupted between
them leaves assignments whose row count does not match: the store is then ignored, with a
warning, and the feed is grouped again from scratch (and so is it when the grouping settings or
the features changed, since old and new vectors would not be comparable).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from ..storage import atomic_write, check_writable

log = logging.getLogger(__name__)

FOLDER = ".stories"


@dataclass
class Store:
    """Every article grouped so far, in assignment order (row ``i`` of ``counts``)."""

    doc_ids: list[str]
    text_keys: list[str]  # sha256 of the article's title and text, to notice an edited article
    titles: list[str]
    labels: list[int]  # story number of each row
    languages: list[str]
    days: list[float | None]  # days since 1970-01-01, None when unknown
    story_ids: list[str]  # id of story number k
    counts: sparse.csr_matrix

    @classmethod
    def empty(cls, columns: int) -> Store:
        return cls([], [], [], [], [], [], [], sparse.csr_matrix((0, columns), dtype=np.float32))


def text_key(title: str, text: str) -> str:
    """What identifies an article's content: its title and text, whitespace-normalised."""
    return hashlib.sha256(" ".join(f"{title}\n{text}".split()).encode()).hexdigest()


def load_store(output: Path, fingerprint: dict, columns: int) -> Store:
    """The store under ``output``; an empty one when there is none or it cannot be used (with
    a warning that says why and that the feed is grouped from scratch)."""
    folder = output / FOLDER
    meta_path, counts_path = folder / "assignments.json", folder / "counts.npz"
    if not meta_path.is_file():
        return Store.empty(columns)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        counts = sparse.load_npz(counts_path).tocsr().astype(np.float32)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("%s: the stored stories cannot be read (%s); grouping the whole feed again, story ids may change.", folder, exc)
        return Store.empty(columns)
    if meta.get("fingerprint") != fingerprint:
        log.warning("%s: the stories were grouped with other settings; grouping the whole feed again, story ids may change.", folder)
        return Store.empty(columns)
    rows = meta["rows"]
    if counts.shape != (len(rows), columns):
        log.warning("%s: counts.npz does not match assignments.json (an interrupted run?); grouping the whole feed again.", folder)
        return Store.empty(columns)
    return Store(
        doc_ids=[r["doc_id"] for r in rows],
        text_keys=[r["text_key"] for r in rows],
        titles=[r["title"] for r in rows],
        labels=[int(r["story"]) for r in rows],
        languages=[r["language"] for r in rows],
        days=[r["day"] for r in rows],
        story_ids=list(meta["story_ids"]),
        counts=counts,
    )


def save_store(output: Path, store: Store, fingerprint: dict) -> None:
    """Write the store under ``output`` (counts first, assignments last: see the module's note)."""
    folder = check_writable(output / FOLDER)
    buffer = io.BytesIO()
    sparse.save_npz(buffer, store.counts.tocsr(), compressed=True)
    atomic_write(folder / "counts.npz", buffer.getvalue())
    rows = [
        {"doc_id": d, "text_key": k, "title": t, "story": s, "language": lang, "day": day}
        for d, k, t, s, lang, day in zip(store.doc_ids, store.text_keys, store.titles, store.labels, store.languages, store.days)
    ]
    meta = {"fingerprint": fingerprint, "story_ids": store.story_ids, "rows": rows}
    atomic_write(folder / "assignments.json", json.dumps(meta, ensure_ascii=False) + "\n")
