"""Sentence splitting, shared by chunking, extractive summaries, fusion and ROUGE-Lsum, in any language.

One splitter for every language, chosen by measurement (``benchmarks/bench_splitters.py``):
sentencex (rules and abbreviation lists for ~300 languages, shipped in the wheel, no download,
linear time). Against pysbd, the splitter before it, on the 393 English documents of MultiLing,
DUC 2003 and Kabul: sentence-boundary F1 0.992 (pysbd's splits as the reference), 133x faster
over them all, 420x on one 10,000-word paragraph; pysbd's Arabic rules cut at the Arabic comma
"،" and its Hindi ones missed "॥", where sentencex split every hand-written case right.

Where this deviates from sentencex: a piece is glued back onto the one before when that one
ends in a title ("Ms.", "Dr.", French "M.", "Mme") or a party-state tag ("R-La."), which
sentencex takes for sentence ends (39 of its 60 extra English splits were "Ms."), or when the
piece has no letter or digit (a stray closing quote). Paragraphs are split first, because news
text often has headings or captions without a final full stop that must not glue onto the next
sentence. A line break counts as a paragraph break unless the line plainly continues
(hard-wrapped text: no closing punctuation, next line starts in lower case).
"""

from __future__ import annotations

from functools import lru_cache

import re

import sentencex

from .tokens import word_count

_CLOSING = tuple(".!?:;\"'”’)]")
#: Words per paragraph at most. The splitter is linear, but every later stage works sentence by
#: sentence: a scraped table or transcript of 300,000 words without a full stop would be one
#: "sentence", one candidate, one embedding input, one subject for the figure patterns. News
#: paragraphs are far shorter than this.
MAX_PARAGRAPH_WORDS = 500
# an abbreviation that ends no sentence: titles (English, French) and US party-state tags
_NO_END_AFTER = re.compile(r"(?:^|[\s(\"'“‘«])(?:Mr|Mrs|Ms|Dr|Prof|M|MM|Mme|Mmes|Mlle|Mlles)\.\s*$|\b[A-Z]-[A-Z]\.\s*$")


def paragraphs(text: str) -> list[str]:
    """Lines joined back where a hard wrap cut a sentence, whitespace folded, empties dropped."""
    units: list[str] = []
    continues = False
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continues = False
            continue
        if continues and units and line[0].islower():
            units[-1] += " " + line
        else:
            units.append(line)
        continues = not line.endswith(_CLOSING)
    return units


def bound_paragraphs(text: str, max_words: int = MAX_PARAGRAPH_WORDS) -> tuple[str, int]:
    """``text`` with every paragraph longer than ``max_words`` words cut into pieces of at most
    that many (at word boundaries, as separate paragraphs), and the longest paragraph's length
    before cutting, for the caller's warning. Text that needs no cut comes back unchanged."""
    units = paragraphs(text)
    longest = max((word_count(unit) for unit in units), default=0)
    if longest <= max_words:
        return text, longest
    pieces = []
    for unit in units:
        words = unit.split()
        pieces.extend(" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words))
    return "\n\n".join(pieces), longest


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split text into sentences, stripped, in order, with no empty strings."""
    return list(_split_cached(text, language))


@lru_cache(maxsize=1024)
def _split_cached(text: str, language: str) -> tuple[str, ...]:
    """Memoised: summarizing, fusion, the guard and conflict search each split the same articles."""
    return tuple(s.strip() for unit in paragraphs(text) for s in _split_paragraph(unit, language) if s.strip())


def _split_paragraph(paragraph: str, language: str) -> list[str]:
    """sentencex's sentences of one paragraph, glued where it ends a sentence at a title (see
    the module docstring); slices of the input, so no character is changed."""
    spans: list[tuple[int, int]] = []
    for found in sentencex.get_sentence_boundaries(language, paragraph):
        start, end = found["start_index"], found["end_index"]
        # only the characters just before the boundary are searched: time stays linear in the paragraph
        tail = paragraph[max(spans[-1][0], start - 16) : start] if spans else ""
        if spans and (_NO_END_AFTER.search(tail) or not any(c.isalnum() for c in paragraph[start:end])):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [paragraph[start:end] for start, end in spans]


# full stops (Devanagari danda and double danda, the ideographic full stop), exclamation marks,
# and closing quotes or brackets after them
_STATEMENT_END = (".", "!", '"', "”", "’", "'", ")", "»", "।", "॥", "。", "！")
_QUESTION = ("?", "؟", "？")


def is_statement(sentence: str, min_words: int) -> bool:
    """Digest material: long enough, closed by a full stop or a quote, and not a question.

    Headings and captions lack a closing full stop; a question ("What do we know about the
    advance?") states nothing an analyst can cite.
    """
    return word_count(sentence) >= min_words and sentence.endswith(_STATEMENT_END) and not sentence.rstrip("\"'”’)»").endswith(_QUESTION)

