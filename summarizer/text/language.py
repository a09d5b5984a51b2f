"""Which natural language an article is written in, and so which rules read a cluster.

Every language-dependent step (sentence splitting, word tokens, stems, stop words, the sentence
embedder, figures) follows the cluster's language: with ``data.language: auto`` (the default)
it is the language most of the cluster's articles are detected in (:func:`cluster_language`);
an explicit ``data.language`` forces one, and then each article confidently in another language
is warned about by the data stage, as a French article read by English rules would be
"summarized" into garbage without any error.

``py3langid`` (a maintained fork of langid.py, Lui & Baldwin 2012) is used because it is small
(a 4 MB naive Bayes model shipped in the wheel, no download), needs only numpy, and is
deterministic by construction: unlike ``langdetect`` it has no random sampling and no global
seed to set. Its model loads once, on first use (about 0.4 s); ``run`` starts that load on a
thread of its own before it imports the pipeline (:func:`load_in_background`).
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import lru_cache
from typing import Sequence

from .tokens import word_count

#: Below this many words the detector's guess is unreliable (headlines, captions): no verdict.
MIN_WORDS = 20
#: Normalised probability at or above which a detected language counts as certain.
MIN_PROBABILITY = 0.9
#: Characters looked at: the opening of an article tells its language as well as the whole.
SAMPLE_CHARS = 5000


_loading = threading.Lock()


@lru_cache(maxsize=1)
def _load_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _identifier():
    """The model, loaded once: a caller that comes while :func:`load_in_background` is still
    loading it waits for that load instead of starting another."""
    with _loading:
        return _load_identifier()


def load_in_background() -> None:
    """Start loading the model on a thread of its own. Most of its load is LZMA decompression,
    which runs without the GIL, so on a second core it overlaps the imports a run starts with
    (about 0.4 s of a run's first 2 s)."""
    threading.Thread(target=_identifier, name="load-py3langid", daemon=True).start()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when too short or uncertain."""
    if word_count(text) < MIN_WORDS:
        return None
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return code if probability >= MIN_PROBABILITY else None


def cluster_language(languages: Sequence[str], default: str = "en") -> tuple[str, dict[str, int]]:
    """The language a cluster is digested in: the one most of its articles are confidently in.

    Args:
        languages: each article's detected language ("" where the detector had no verdict).
        default: the answer when no article has a verdict (all too short or uncertain).

    Returns:
        The cluster's language, and how many articles were detected in each language, for the
        caller's warning when the cluster mixes languages. Ties go to the language of the
        earlier article, so the answer does not depend on dictionary order.
    """
    counts = Counter(code for code in languages if code)
    if not counts:
        return default, {}
    first = {code: languages.index(code) for code in counts}
    return max(counts, key=lambda code: (counts[code], -first[code])), dict(counts)
