"""Which language each cluster is digested in, and the warning for clusters that mix languages.

The data stage detects every article's language as it loads it (:mod:`summarizer.text.language`);
here a cluster gets one: the forced ``data.language``, or with ``auto`` the language most of its
articles are in. A cluster that mixes languages is digested in that majority language, every
article kept: the others' sentences stay candidates and evidence, but are read with its rules
(sentences, words, the embedder), so the warning names them for the user to move or drop.
"""

from __future__ import annotations

import logging
from typing import Sequence

from ..config import DataSettings
from ..records import Article
from ..text import cluster_language

log = logging.getLogger(__name__)


def digest_language(cluster_id: str, articles: Sequence[Article], settings: DataSettings) -> str:
    """The ISO 639-1 code whose rules read ``articles`` (see the module docstring)."""
    if settings.language is None:
        return "en"
    if settings.language != "auto":
        return settings.language
    language, counts = cluster_language([a.language for a in articles])
    others = [a.doc_id for a in articles if a.language and a.language != language]
    if others:
        mix = ", ".join(f"{count} in '{code}'" for code, count in sorted(counts.items(), key=lambda item: -item[1]))
        log.warning(
            "cluster '%s' mixes languages (%s); it is digested in '%s', the majority, and these articles are read "
            "with its rules: %s. Put them in a cluster of their own, or set data.language to force one language.",
            cluster_id, mix, language, ", ".join(others),
        )
    return language
