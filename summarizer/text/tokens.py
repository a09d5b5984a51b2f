"""What a word is, in any language: the tokens, stems and stop words every stage compares on.

Selection's concepts, the hallucination guard, conflict search and ``compare``'s n-gram and
ROUGE figures all ask one question ("the words of this text in this language") and get their
answer here, so two of them cannot disagree on what a word in Hindi is.

A word is a maximal run of Unicode letters, combining marks and digits (``[\\p{L}\\p{M}\\p{N}]+``
with the ``regex`` package), lower-cased. The combining marks matter: Devanagari vowel signs and
the virama, and Arabic short vowels, are marks, not letters, and Python's own ``\\w`` (letters
and digits only) cuts "हिन्दी" into pieces at them. On ASCII text the rule gives exactly the
``[a-z0-9]+`` tokens the project used before (and rouge-score uses), so English is unchanged.
Chinese and Japanese write no spaces between words: there each Han character, kana or hangul
syllable is a token of its own (the usual unit of ROUGE for those languages), other runs as above.

Stems: PyStemmer's Snowball stemmers, in C: Porter's original algorithm for English (what
ROUGE-1.5.5 and Gillick & Favre use; identical to NLTK's ``ORIGINAL_ALGORITHM`` on all 5,555
MultiLing English words, and importing NLTK for it cost 2.2 s of every run's start-up), Snowball's
own for the languages it has (Arabic, Hindi, French, Greek, Russian, ...), none for the others. Stop words: scikit-learn's English list (as before), the stopwords-iso lists for the
others, none where no list exists.
"""

from __future__ import annotations

from functools import lru_cache

import regex

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# one token per ideograph, kana or hangul syllable; other words as _WORD finds them
_CJK_WORD = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|[^\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\P{L}\p{M}\p{N}]+|[\p{M}\p{N}]+")
UNSPACED = frozenset({"zh", "ja"})  # languages written without spaces between words

#: ISO 639-1 code -> Snowball algorithm (English has Porter's, below).
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "fa": "persian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


def words(text: str, language: str = "en") -> list[str]:
    """The lower-cased word tokens of ``text`` in ``language``, in order (punctuation and spaces dropped)."""
    pattern = _CJK_WORD if language in UNSPACED else _WORD
    return pattern.findall(text.lower())


def cased_words(text: str, language: str = "en") -> list[tuple[str, bool]]:
    """:func:`words`, each with whether it is capitalised in ``text`` and not its first word
    (a name, roughly, in the scripts that have capitals)."""
    pattern = _CJK_WORD if language in UNSPACED else _WORD
    return [(m.group().lower(), k > 0 and m.group()[0].isupper()) for k, m in enumerate(pattern.finditer(text))]


def word_count(text: str) -> int:
    """Words as the digest budget counts them: whitespace-separated tokens."""
    return len(text.split())


@lru_cache(maxsize=None)
def _stemmer(language: str):
    """The stemming function of ``language``, or None where no maintained stemmer exists."""
    import Stemmer

    if language == "en":  # Porter's original algorithm, as ROUGE-1.5.5 (and NLTK's ORIGINAL_ALGORITHM) stem
        return Stemmer.Stemmer("porter").stemWord
    return Stemmer.Stemmer(SNOWBALL[language]).stemWord if language in SNOWBALL else None


def has_stemmer(language: str) -> bool:
    """Whether :func:`stem` changes words of ``language`` (else it returns them as they are)."""
    return _stemmer(language) is not None


@lru_cache(maxsize=131072)
def stem(word: str, language: str = "en") -> str:
    """The stem of a lower-cased word in ``language``; the word itself where no stemmer exists."""
    stemmer = _stemmer(language)
    # Porter's step 1a takes a lone "s" to nothing (the possessive of "Britain's"): keep the word
    return (stemmer(word) or word) if stemmer is not None else word


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English list (the Glasgow IR group's), read from its module file: importing
    it through ``sklearn`` would import all of scikit-learn, 0.8 s of every run's start-up."""
    import importlib.util

    folder = importlib.util.find_spec("sklearn").submodule_search_locations[0]  # finds, does not import
    spec = importlib.util.spec_from_file_location("_sklearn_stop_words", f"{folder}/feature_extraction/_stop_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


@lru_cache(maxsize=None)
def stop_words(language: str = "en") -> frozenset[str]:
    """The language's function words, which carry no fact of a story on their own; empty where
    no list exists."""
    if language == "en":
        return _english_stop_words()
    import stopwordsiso

    return frozenset(word.lower() for word in stopwordsiso.stopwords(language)) if stopwordsiso.has_lang(language) else frozenset()
