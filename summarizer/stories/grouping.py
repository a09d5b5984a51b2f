"""A feed in, its stories out: the stage's one public function, :func:`group_stories`.

Order of assignment: the articles of earlier runs (from the store) keep their stories; the new
ones are assigned by date when every one of them has a date, else in input order. A story's id
comes from its seed (first) article's doc id, so it is the same on every run that has that
article, whatever else the feed holds. An article whose text changed since it was stored keeps
its story (ids never move) and its vector is replaced by the new text's; delete
``OUTPUT/.stories`` to group the whole feed afresh.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse

from ..config import GroupingSettings
from ..text import detect_language
from ..errors import InputError
from ..records import Article, Story
from .features import BLOCK_SIZES, FEATURES_VERSION, FeedArticle, count_terms, tfidf_vectors
from .online import assign, refine
from .store import Store, load_store, save_store, text_key

log = logging.getLogger(__name__)

LANGUAGE_SAMPLE_CHARS = 1000  # the opening of an article tells its language (and costs 5x less than 5,000)
TITLE_WORDS = 12  # words of an untitled seed article's text that name its story


def group_stories(articles: Sequence[Article], settings: GroupingSettings, output: Path | None = None) -> list[Story]:
    """Group ``articles`` into stories, largest first.

    Args:
        articles: the feed; doc ids must be unique. Any ``cluster_id`` they carry is ignored.
        settings: threshold, block weights and date window.
        output: the run's output folder, where the stories of earlier runs are kept
            (``.stories/``) and this run's are stored; None groups from scratch and stores nothing.

    Returns:
        The stories holding ``articles`` (articles of earlier runs absent from this feed are kept
        in the store but not listed), by size then by their seed's order.

    Raises:
        InputError: two articles share a doc id.
    """
    _require_unique_ids(articles)
    fingerprint = {"features": FEATURES_VERSION, **settings.model_dump()}
    columns = sum(BLOCK_SIZES.values())
    store = load_store(output, fingerprint, columns) if output is not None else Store.empty(columns)
    new = _update_changed(store, articles)
    known = len(store.doc_ids)
    _append(store, _in_assignment_order(new))
    vectors = tfidf_vectors(store.counts, store.languages, settings)
    codes = {code: number for number, code in enumerate(sorted(set(store.languages)))}
    days = np.array([np.nan if d is None else d for d in store.days], dtype=float)
    languages = np.array([codes[c] for c in store.languages], dtype=np.int64)
    result = assign(vectors, store.labels[:known], days, languages, settings)
    result = refine(vectors, result.labels, known, languages, settings)
    store.labels = [int(label) for label in result.labels]
    seeds = _seeds(store.labels)
    store.story_ids += [story_id(store.doc_ids[seeds[story]]) for story in range(len(store.story_ids), result.stories)]
    if output is not None:
        save_store(output, store, fingerprint)
    stories = _stories(store, {a.doc_id for a in articles}, seeds)
    log.info("stories: %d articles (%d new) in %d stories, %d of them a single article",
             len(articles), len(new), len(stories), sum(s.size == 1 for s in stories))
    return stories


def story_id(seed_doc_id: str) -> str:
    """The id of the story that ``seed_doc_id`` started: a folder-safe name no input can break."""
    return "story-" + hashlib.sha256(seed_doc_id.encode()).hexdigest()[:12]


def _require_unique_ids(articles: Sequence[Article]) -> None:
    repeated = [doc for doc, count in Counter(a.doc_id for a in articles).items() if count > 1]
    if repeated:
        raise InputError(
            f"grouping stories needs one doc_id per article; repeated: {', '.join(repeated[:5])}"
            f"{' ...' if len(repeated) > 5 else ''}. Give each article of the feed its own doc_id (a column, or unique file names)."
        )


def _update_changed(store: Store, articles: Sequence[Article]) -> list[Article]:
    """Replace the counts of stored articles whose text changed (they keep their story, with a
    warning); return the articles not stored yet."""
    row_of = {doc: row for row, doc in enumerate(store.doc_ids)}
    new, changed = [], []
    for article in articles:
        row = row_of.get(article.doc_id)
        if row is None:
            new.append(article)
        elif store.text_keys[row] != text_key(article.title, article.text):
            changed.append((row, article))
    if changed:
        counts = store.counts.tolil()
        languages = [_language(a) for _, a in changed]
        fresh = count_terms([_feed_article(a, language) for (_, a), language in zip(changed, languages)])
        for index, (row, article) in enumerate(changed):
            counts[row] = fresh[index]
            store.text_keys[row] = text_key(article.title, article.text)
            store.languages[row] = languages[index]
            log.warning("stories: article '%s' changed since it was grouped; it stays in %s (delete .stories in the output folder to regroup).",
                        article.doc_id, store.story_ids[store.labels[row]])
        store.counts = counts.tocsr()
    return new


def _in_assignment_order(articles: list[Article]) -> list[Article]:
    """By date when every article has one (a stable sort: same-day articles keep input order),
    else as given."""
    days = [_day(a.date) for a in articles]
    if articles and all(d is not None for d in days):
        return [a for _, _, a in sorted(zip(days, range(len(articles)), articles), key=lambda item: item[:2])]
    return articles


def _append(store: Store, articles: list[Article]) -> None:
    """Add new articles' counts, languages and dates to the store (their story comes later)."""
    if not articles:
        return
    languages = [_language(a) for a in articles]
    fresh = count_terms([_feed_article(a, language) for a, language in zip(articles, languages)])
    store.counts = sparse.vstack([store.counts, fresh], format="csr")
    store.languages += languages
    for article in articles:
        store.doc_ids.append(article.doc_id)
        store.text_keys.append(text_key(article.title, article.text))
        store.titles.append(article.title or " ".join(article.text.split()[:TITLE_WORDS]))
        store.days.append(_day(article.date))


def _language(article: Article) -> str:
    """The data stage's verdict on the text; the title joins it only where that had none."""
    return article.language or detect_language(f"{article.title}\n{article.text[:LANGUAGE_SAMPLE_CHARS]}") or "und"


def _feed_article(article: Article, language: str) -> FeedArticle:
    return FeedArticle(article.doc_id, article.title, article.text, article.date, language)


def _day(date: str) -> float | None:
    """Days since 1970-01-01 of an ISO 8601 date or time; None when absent or unreadable (a
    date that cannot be read is warned about once per value and grouped as if undated)."""
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date.strip().replace("Z", "+00:00"))
    except ValueError:
        _warn_bad_date(date)
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp() / 86400.0


_warned_dates: set[str] = set()


def _warn_bad_date(date: str) -> None:
    if date not in _warned_dates:
        _warned_dates.add(date)
        log.warning("stories: date '%s' is not ISO 8601 (2021-08-16 or 2021-08-16T09:30:00Z); those articles are grouped as undated.", date)


def _seeds(labels: list[int]) -> dict[int, int]:
    """The first row of each story: its seed."""
    seeds: dict[int, int] = {}
    for row, label in enumerate(labels):
        seeds.setdefault(label, row)
    return seeds


def _stories(store: Store, present: set[str], seeds: dict[int, int]) -> list[Story]:
    """The stories of the present articles, members in assignment order, largest first."""
    members: dict[int, list[int]] = {}
    for row, (doc, label) in enumerate(zip(store.doc_ids, store.labels)):
        if doc in present:
            members.setdefault(label, []).append(row)
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Story(store.story_ids[label], store.titles[seeds[label]], tuple(store.doc_ids[r] for r in rows)) for label, rows in ordered]
