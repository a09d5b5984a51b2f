"""Sentence splitting, shared by chunking, extractive summaries and fusion.

pysbd ships its rules (no download, unlike NLTK's punkt) and handles abbreviations such as
"U.S." and "Gen." that a regex splitter cuts in two. Paragraphs are split first, because news
text often has headings or captions without a final full stop that must not glue onto the
next sentence. A line break counts as a paragraph break unless the line plainly continues
(hard-wrapped text: no closing punctuation, next line starts in lower case).
"""

from __future__ import annotations

from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

from .tokens import word_count

_CLOSING = tuple(".!?:;\"'”’)]")
#: Words per paragraph handed to pysbd at most. Its time grows faster than a paragraph's length
#: (0.07 s for 500 unpunctuated words, 0.87 s for 4,000), so a scraped table or transcript of
#: 50,000 words in one paragraph would take minutes; news paragraphs are far shorter than this.
MAX_PARAGRAPH_WORDS = 500


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    """pysbd's rules for ``language``, or its English ones where it has none (full stops,
    question and exclamation marks still end sentences under them)."""
    return pysbd.Segmenter(language=language if language in LANGUAGE_CODES else "en", clean=False)


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
    segmenter = _segmenter(language)
    return tuple(s.strip() for unit in paragraphs(text) for s in segmenter.segment(unit) if s.strip())


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

