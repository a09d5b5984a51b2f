"""Conflicts: figures that different articles report differently for the same thing.

Steps: read every number of every article sentence (:mod:`summarizer.fuse.quantities`); link two
numbers of *different* articles when they count the same thing; take connected components of
those links as topics; a topic is a conflict when two linked numbers disagree.

Two numbers count the same thing when all of these hold:
- the same head noun or unit ("people", "troops", "percent", "usd", "date"), after folding
  ("civilians", "lives", "Afghans" are people);
- compatible owners: both name the same country or neither is specific ("5,000 US troops" and
  "600 British troops" are different things; "seven Afghans" and "20 people" may be the same);
- both are done counts, or both are goals or remainders ("plans to evacuate 60,000" is not a
  total of people evacuated), and neither is a part of a total ("including 2,500 Americans");
- their sentences mean nearly the same, by embedding cosine (``min_similarity``): this is what
  tells "20 years of war" from "40 years of fighting" and "died" from "evacuated".

Two numbers disagree when their value ranges do not overlap. An approximate number ("about
17,000") spans its rounding unit (16,500-17,500); a range ("between 50,000 and 65,000") spans
itself, so a range containing the other figure, or overlapping another range, agrees. "At
least 20" is read as 20, as newsrooms use it: it reports a count, not a lower bound.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..config import ConflictSettings
from ..text import split_sentences, stop_words, words
from ..records import Article, Conflict, ConflictValue
from .lexicons import OTHER_EVENTS
from .pairs import similar_pairs
from .quantities import WORD_NUMBERS, Quantity, extract_quantities, lexicon

_TOPIC_STOP = set(
    "a an the and or but of to in on at by for from with into over under about around across after before since during "
    "until than as who which that this these those their its his her is are was were be been being have has had will "
    "would can could said says told according some least more nearly almost people".split()
)
TOPIC_WORDS = 3  # context words named in a conflict's topic
WINDOW_BEFORE, WINDOW_AFTER = 6, 8  # words around a number that are embedded as its context
#: What happened to the things counted. Two figures whose contexts name events must share one:
#: "seven died" and "25,100 evacuated" both count people at the airport, but not the same people.
EVENTS = {
    "death": r"di(e|ed|es)|dead|deaths?|kill(ed|ing|s)?|lives|crush(ed)? to death|trampled|fatalities|perished|bodies",
    "injury": r"injur(ed|ies|y)|wounded|hurt",
    "evacuation": r"evacuat\w*|airlift(ed)?|flown out",
    "arrest": r"arrest(ed|s)?|detain(ed)?|detentions?",
    "displacement": r"displaced|refugees|fled|homeless",
    "missing": r"missing",
    "waiting": r"waiting|queued|stuck|stranded|held up",
    "deadline": r"deadline|by which",
}
_EVENT_PATTERNS = {name: re.compile(rf"\b({pattern})\b", re.I) for name, pattern in EVENTS.items()}
_EVENTS_BY_LANGUAGE = {"en": _EVENT_PATTERNS} | {
    language: {name: re.compile(pattern, re.I) for name, pattern in events.items()} for language, events in OTHER_EVENTS.items()
}
#: Languages whose figures are compared: those with head nouns and event words.
CONFLICT_LANGUAGES = tuple(sorted(_EVENTS_BY_LANGUAGE))


def conflicts_supported(language: str) -> str | None:
    """None when figures in ``language`` (ISO 639-1) are compared, else why not, for the digest notes.

    Without the words for what a number counts and for what happened, figures of different
    things would be paired (a count of days with a count of people), so conflicts are off
    for such a language rather than guessed: :func:`figure_mentions` finds none.
    """
    if language in _EVENTS_BY_LANGUAGE:
        return None
    return (
        f"Figures the sources disagree on were not looked for: the cluster is in language '{language}', and the "
        f"conflict finder knows the words for what a number counts and what happened only in "
        f"{', '.join(CONFLICT_LANGUAGES)}. Figures are still read, in any script, for the hallucination guard."
    )


@dataclass(frozen=True)
class Mention:
    """One number of one article sentence."""

    quantity: Quantity
    doc_id: str
    doc_index: int  # the article's position in the cluster
    sentence: str
    context: str  # the words around the number: what is embedded and compared
    events: frozenset[str]  # names from :data:`EVENTS` found in the context


def _mention(quantity: Quantity, doc_id: str, doc_index: int, sentence: str, language: str = "en") -> Mention:
    before = sentence[: quantity.start].split()[-WINDOW_BEFORE:]
    context = " ".join(before + sentence[quantity.start :].split()[:WINDOW_AFTER])
    events = frozenset(name for name, pattern in _EVENTS_BY_LANGUAGE[language].items() if pattern.search(context))
    return Mention(quantity, doc_id, doc_index, sentence, context, events)


def figure_mentions(articles: Sequence[Article], language: str = "en") -> list[Mention]:
    """Every comparable number in the articles (sentences split by ``language``'s rules): those
    with a head noun, not parts of a total.

    None for a language :func:`conflicts_supported` turns down (its reason belongs in the notes).
    """
    if conflicts_supported(language) is not None:
        return []
    return [
        _mention(quantity, article.doc_id, doc_index, sentence, language)
        for doc_index, article in enumerate(articles)
        for sentence in split_sentences(article.text, language)
        for quantity in extract_quantities(sentence, language)
        if quantity.head and not quantity.part
    ]


def contradicts(claim: str, evidence: str, language: str = "en") -> bool:
    """Does ``evidence`` give a different figure for something ``claim`` counts?

    Used by fusion so that an article matching a digest sentence on topic but not on the
    number ("17,000 evacuated" for "around 25,100 evacuated") does not count as backing it.
    Without embeddings, so stricter than :func:`find_conflicts`: both figures must name the
    same event, besides the same head noun and owner. False in a language without event words.
    """
    if conflicts_supported(language) is not None:
        return False
    claimed = [_mention(q, "claim", 0, claim, language) for q in extract_quantities(claim, language) if q.head and not q.part]
    given = [_mention(q, "evidence", 1, evidence, language) for q in extract_quantities(evidence, language) if q.head and not q.part]
    return any(
        same_thing(a, b) and a.events & b.events and disagree(a.quantity, b.quantity) and not any(
            same_thing(a, c) and a.events & c.events and not disagree(a.quantity, c.quantity) for c in given
        )
        for a in claimed
        for b in given
    )


def find_conflicts(found: Sequence[Mention], vectors: np.ndarray, settings: ConflictSettings, language: str = "en") -> list[Conflict]:
    """Group mentions of the same thing across articles and keep the groups that disagree.

    Args:
        found: mentions from :func:`figure_mentions`.
        vectors: one L2-normalised row per mention, the embedding of its sentence.
        settings: the similarity threshold.
        language: of the sentences (ISO 639-1), for the words naming a topic.

    Returns:
        Conflicts in the order of their first mention, each with every figure of its topic.
    """
    if len(found) != vectors.shape[0]:
        raise ValueError(f"{len(found)} mentions but {vectors.shape[0]} vectors")
    if not settings.enabled or not found:
        return []
    links = _one_owner(_linked(found, vectors, settings), found)
    if not links:
        return []
    rows, cols = zip(*links)
    graph = coo_matrix((np.ones(len(links)), (rows, cols)), shape=(len(found), len(found)))
    _, labels = connected_components(graph, directed=False)
    disagreeing = {labels[i] for i, j in links if disagree(found[i].quantity, found[j].quantity) and not _agreed(i, j, links, found)}
    conflicts = []
    for label in sorted(disagreeing, key=lambda lab: int(np.flatnonzero(labels == lab)[0])):
        members = sorted((found[i] for i in np.flatnonzero(labels == label)), key=lambda m: (m.doc_index, m.quantity.start))
        conflicts.append(
            Conflict(
                topic=_topic(members, language),
                values=tuple(ConflictValue(m.quantity.text, m.doc_id, m.sentence) for m in members),
            )
        )
    return conflicts


def same_thing(a: Mention, b: Mention) -> bool:
    """Could these two numbers, from different articles, count the same thing? (Not the wording.)"""
    qa, qb = a.quantity, b.quantity
    return (
        a.doc_id != b.doc_id
        and qa.head == qb.head
        and qa.pending == qb.pending
        and (not qa.qualifiers or not qb.qualifiers or bool(qa.qualifiers & qb.qualifiers))
    )


def _threshold(a: Mention, b: Mention, settings: ConflictSettings) -> float:
    """Contexts naming the same event need ``min_similarity``; others need more, or never link.

    Returns 2.0 (never reached) when both name events and none is shared, for dates without
    an event, and for contexts without an event unless ``min_similarity_without_event`` is set.
    """
    if a.events and b.events:
        return settings.min_similarity if a.events & b.events else 2.0
    if a.quantity.head == "date" or settings.min_similarity_without_event is None:
        return 2.0  # a date without an event is as often a dateline as the day something happened
    return settings.min_similarity_without_event


def _linked(found: Sequence[Mention], vectors: np.ndarray, settings: ConflictSettings) -> dict[tuple[int, int], float]:
    """The pairs (i < j, in that order) that count the same thing, with their similarity.

    Only pairs at or above the lowest threshold a pair can have are looked at, found by the
    blocked search of :func:`summarizer.fuse.pairs.similar_pairs`, so an article set with
    thousands of figures costs BLAS blocks and a sparse list, not a dense n x n matrix and a
    Python loop over every pair.
    """
    lowest = min(settings.min_similarity, settings.min_similarity_without_event or settings.min_similarity)
    rows, cols = similar_pairs(vectors, None, lowest)
    order = np.lexsort((cols, rows))  # (i, j) in order, as a loop over i then j would give them
    rows, cols = rows[order], cols[order]
    scores = np.einsum("ij,ij->i", vectors[rows], vectors[cols])
    return {
        (i, j): score
        for i, j, score in zip(rows.tolist(), cols.tolist(), scores.tolist())
        if same_thing(found[i], found[j]) and score >= _threshold(found[i], found[j], settings)
    }


def _one_owner(links: dict[tuple[int, int], float], found: Sequence[Mention]) -> list[tuple[int, int]]:
    """A figure that names no owner joins the figures of one owner only: its most similar one.

    "At least 28,000 evacuated" may be the same count as "the United States evacuated
    17,000", or as "the British evacuated more than 5,000", but not as both.
    """
    owner: dict[int, frozenset[str]] = {}
    for i, j in sorted(links, key=lambda pair: -links[pair]):
        for bare, named in ((i, j), (j, i)):
            if not found[bare].quantity.qualifiers and found[named].quantity.qualifiers:
                owner.setdefault(bare, found[named].quantity.qualifiers)

    def keeps(bare: int, named: int) -> bool:
        qualifiers = found[named].quantity.qualifiers
        return found[bare].quantity.qualifiers or not qualifiers or bool(owner.get(bare, qualifiers) & qualifiers)

    return [(i, j) for i, j in links if keeps(i, j) and keeps(j, i)]


def _agreed(i: int, j: int, links: Sequence[tuple[int, int]], found: Sequence[Mention]) -> bool:
    """Does either figure also have an agreeing figure, linked to it, in the other's article?

    Then the two articles agree on this thing, and the differing pair counts two different
    things ("395,000 euro raised" and "150,000 euro pledged", both in both articles).
    """
    for a, b in ((i, j), (j, i)):
        for x, y in links:
            other = y if x == a else x if y == a else None
            if other is not None and found[other].doc_id == found[b].doc_id and not disagree(found[a].quantity, found[other].quantity):
                return True
    return False


def disagree(a: Quantity, b: Quantity) -> bool:
    """True when the two value ranges cannot both be right (see the module docstring)."""
    low_a, high_a = a.interval()
    low_b, high_b = b.interval()
    return high_a < low_b or high_b < low_a


def _topic(members: Sequence[Mention], language: str = "en") -> str:
    """The head noun and the content words that most of the members' sentences share.

    The head is the folded name ("people"), in English whatever the sentences' language.
    """
    head = members[0].quantity.head
    stop, numbers = _topic_words(language)
    counts: Counter[str] = Counter()
    for sentence in {m.sentence for m in members}:
        counts.update({w for w in words(sentence, language) if w.isalpha() and len(w) > 2 and w not in stop and w not in numbers and w != head})
    shared = [w for w, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if n >= 2][:TOPIC_WORDS]
    return f"{head}: {', '.join(shared)}" if shared else head


def _topic_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words never named in a topic, and the number words, per language."""
    if language == "en":
        return frozenset(_TOPIC_STOP), frozenset(WORD_NUMBERS)
    lex = lexicon(language)
    return lex.stop | lex.topic_stop | frozenset(lex.multipliers) | stop_words(language), frozenset(lex.word_numbers)
