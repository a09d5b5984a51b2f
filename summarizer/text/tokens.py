"""What a word is, in any language: the tokens, stems and stop words every stage compares on.

Selection's concepts, the hallucination guard, conflict search and ``compare``'s n-gram and
ROUGE figures all ask one question ("the words of this text in this language") and get their
answer here, so two of them cannot disagree on what a word in Hindi is.

A word is a maximal run of Unicode letters, combining marks and digits (``[\\p{L}\\p{M}\\p{N}]+``
with the ``regex`` package), lower-cased. The combining marks matter: Devanagari vowel signs and
the virama, and Arabic short vowels, are marks, not letters, and Python's own ``\\w`` (letters
and digits only) cuts "हिन्दी" into pieces at them. On ASCII text the rule gives exactly the
``[a-z0-9]+`` tokens the project used before, so English digests are unchanged.
"""

from __future__ import annotations

from functools import lru_cache

import regex

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def words(text: str, language: str = "en") -> list[str]:
    """The lower-cased word tokens of ``text``, in order (punctuation and spaces dropped).

    ``language`` is accepted so that every caller states it: the rule is the same in every
    script today, and a language whose words are not space-delimited gets its tokenizer here.
    """
    del language  # one rule for every script supported so far (see the module docstring)
    return _WORD.findall(text.lower())


def word_count(text: str) -> int:
    """Words as the digest budget counts them: whitespace-separated tokens."""
    return len(text.split())


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=131072)
def stem(word: str, language: str = "en") -> str:
    """The stem of a lower-cased word (Porter's for English, as ROUGE and Gillick & Favre use)."""
    del language
    return _porter().stem(word)


def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=None)
def stop_words(language: str = "en") -> frozenset[str]:
    """The language's function words, which carry no fact of a story on their own."""
    del language
    return _english_stop_words()
