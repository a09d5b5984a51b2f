"""The hallucination guard: summary sentences that name what their article never says.

Seq2seq summarizers invent figures and names that read well ("killing 12 people" when the
article gives none). A summary sentence is flagged when it holds a number whose value the
article does not contain (in digits or words: "seven" matches "7"), or a name, a run of
capitalised words, with a word that never occurs in the article ("President Emmanuel Macron"
in an article without "Emmanuel" or "Macron"). Words are compared case-insensitively, so a
re-cased "Kabul Airport" passes, and a lone capitalised word opening the sentence is not taken
for a name (it is most often just the sentence's first word).

Flagged sentences leave the summary before fusion unless ``guard.drop_flagged`` is off; either
way they are reported in ``digest.json``. Extractive summaries copy article sentences, so
they are never flagged; the guard runs for every method and costs a regex pass.

This is a lexical check: it catches invented figures and names, not invented relations
between true ones ("Biden met Ghani" from an article naming both).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..config import GuardSettings
from ..text import split_sentences, words
from ..records import Article, ArticleSummary, Hallucination
from .quantities import numbers_in

# A name: capitalised words in a row, allowing inner "of"/"al-" ("Islamic State of Iraq").
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|al-)?[A-Z][\w'’.-]*)*")


def check(summary: str, article: str, language: str = "en") -> list[tuple[str, tuple[str, ...]]]:
    """Each summary sentence with the numbers and names it has that the article lacks.

    ``language`` (ISO 639-1) is how the figures are read: "1,5" is 1.5 in French, and "٢٥" in
    an Arabic summary matches "25" in its article.

    Returns:
        (sentence, unsupported) pairs for the flagged sentences only, in summary order.
    """
    known = _known([article], language)
    found = ((sentence, _missing(sentence, known, language)) for sentence in split_sentences(summary, language))
    return [(sentence, missing) for sentence, missing in found if missing]


def unsupported(sentence: str, sources: Sequence[str], language: str = "en") -> tuple[str, ...]:
    """The numbers and names of ``sentence`` that none of ``sources`` contains, by the guard's
    rules: what ``compare``'s faithfulness share counts for a digest sentence and the articles it cites."""
    return _missing(sentence, _known(sources, language), language)


def _known(texts: Sequence[str], language: str) -> tuple[set[float], set[str]]:
    """The values and the words the texts contain."""
    # sentence by sentence: extraction is memoised per sentence and slows on very long strings
    numbers = set().union(*(numbers_in(s, language) for text in texts for s in split_sentences(text, language)))
    return numbers, {word for text in texts for word in words(text, language)}


def _missing(sentence: str, known: tuple[set[float], set[str]], language: str) -> tuple[str, ...]:
    numbers, known_words = known
    missing = [_number_text(value) for value in sorted(numbers_in(sentence, language) - numbers)]
    missing += [name for name in _names(sentence) if not set(words(name, language)) <= known_words]
    return tuple(dict.fromkeys(missing))


def guard(
    summaries: Sequence[ArticleSummary], articles: Sequence[Article], settings: GuardSettings, language: str = "en"
) -> tuple[list[ArticleSummary], list[Hallucination]]:
    """Check every summary against its own article, and drop flagged sentences if configured.

    ``language`` is the cluster's (ISO 639-1), for reading figures (see :func:`check`).

    Returns:
        The summaries to fuse (flagged sentences removed when ``settings.drop_flagged``), and
        every flagged sentence.
    """
    kept_summaries, flags = [], []
    for summary, article in zip(summaries, articles, strict=True):
        found = check(summary.summary, article.text, language)
        flags += [Hallucination(summary.doc_id, sentence, missing, kept=not settings.drop_flagged) for sentence, missing in found]
        if found and settings.drop_flagged:
            bad = {sentence for sentence, _ in found}
            text = " ".join(s for s in split_sentences(summary.summary, language) if s not in bad)
            summary = ArticleSummary(summary.doc_id, summary.title, text, summary.chunks)
        kept_summaries.append(summary)
    return kept_summaries, flags


def _names(sentence: str) -> list[str]:
    """Runs of capitalised words, leaving out a single word that opens the sentence."""
    return [m.group().rstrip(".") for m in _NAME.finditer(sentence) if m.start() > 0 or " " in m.group().strip()]


def _number_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"
