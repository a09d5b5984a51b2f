"""Which natural language an article is written in, to warn before an English model misreads it.

The shipped models, the sentence splitter and the TF-IDF stop words are English; a French
article in the cluster would be "summarized" into garbage without any error. The data stage
therefore warns about each article whose language is confidently another one.

``py3langid`` (a maintained fork of langid.py, Lui & Baldwin 2012) is used because it is small
(a 4 MB naive Bayes model shipped in the wheel, no download), needs only numpy, and is
deterministic by construction: unlike ``langdetect`` it has no random sampling and no global
seed to set. Its model loads once, on first use (about half a second).
"""

from __future__ import annotations

from functools import lru_cache

from .tokens import word_count

#: Below this many words the detector's guess is unreliable (headlines, captions): no verdict.
MIN_WORDS = 20
#: Normalised probability at or above which a detected language counts as certain.
MIN_PROBABILITY = 0.9
#: Characters looked at: the opening of an article tells its language as well as the whole.
SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when too short or uncertain."""
    if word_count(text) < MIN_WORDS:
        return None
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return code if probability >= MIN_PROBABILITY else None


def foreign_language(text: str, expected: str) -> str | None:
    """The detected language when it is confidently not ``expected``, else ``None``."""
    code = detect_language(text)
    return code if code is not None and code != expected else None
