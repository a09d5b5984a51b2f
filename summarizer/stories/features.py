"""Article vectors for grouping a feed into stories, in any language and with no download.

Each article becomes three blocks of hashed term counts (:func:`count_terms`):

- **body**: lower-cased Unicode word tokens of title and text (letters, combining marks and
  digits, so Hindi vowel signs stay inside their words), the article's language's stop words
  dropped and the rest stemmed where the text layer has a stemmer for it (so Arabic "الحكومة",
  "الحكومات" and "للحكومة", French "élection" and "élections" count as one term); runs of a script written
  without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) give overlapping character pairs;
- **title**: the title's terms alone, since two reports of one event often share a headline's words;
- **entities**: names and figures, the features Miranda et al. (2018) found to carry most of a
  story's identity: spans of capitalised words (in scripts with case) and numbers of two or
  more digits (in every script).

Counts are hashed (scikit-learn's ``HashingVectorizer``), so the columns of a stored article
never move when new articles arrive, and only new articles are read. :func:`tfidf_vectors` turns counts
into one unit vector per article: sublinear TF times IDF over the articles of the same language
grouped so far (an article only ever joins stories of its own language, and a feed's IDF would
let the function words of a language with few articles in the feed pass for rare terms), the
body cut to its ``top_terms`` heaviest terms (which keeps the product of the feed with itself
sparse at 10,000 articles, and drops the function words of every language without a stop list),
each block scaled to unit length and weighted, the whole scaled to unit length again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import regex
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from ..config import GroupingSettings
from ..text import has_stemmer, stem, stop_words, words

#: Hash space of each block, in this order in the stacked matrix; changing one changes every
#: stored column, so the store records :data:`FEATURES_VERSION` and regroups on a mismatch.
BLOCK_SIZES = {"body": 2**20, "title": 2**18, "entities": 2**18}
FEATURES_VERSION = 2  # 2: stop words dropped and terms stemmed by language

_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]+")
# a capitalised word: an upper-case letter then letters or marks (Unicode case, so Cyrillic and
# Greek names count; Arabic and Devanagari have no case and contribute figures only)
_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’-]*"
_NAME_SPAN = regex.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_FIGURE = regex.compile(r"(?<![\p{N}.,])\p{N}{2,}(?:[.,]\p{N}+)*")
_SENTENCE_START = regex.compile(r"(?:^|[.!?。！？]\s+|\n\s*)$")


@dataclass(frozen=True)
class FeedArticle:
    """What grouping needs of one article: its id, its words, its language and, if known, its date."""

    doc_id: str
    title: str
    text: str
    date: str = ""  # ISO 8601 as given; "" = unknown
    language: str = "und"  # ISO 639-1 code; "und" = unknown (no stop words, no stemming)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``; unspaced scripts as overlapping character pairs."""
    found = []
    for word in words(text, "und"):  # the text layer's words; unspaced runs cut into pairs below
        if _UNSPACED.search(word):
            found += _pieces(word)
        else:
            found.append(word)
    return found


def terms(text: str, language: str) -> list[str]:
    """:func:`tokens` without ``language``'s stop words, stemmed where it has a stemmer."""
    drop = stop_words(language)
    kept = [token for token in tokens(text) if token not in drop]
    return [stem(token, language) for token in kept] if has_stemmer(language) else kept


def _pieces(word: str) -> list[str]:
    """A token holding unspaced script: its spaced parts whole, each unspaced run as character pairs."""
    found, last = [], 0
    for run in _UNSPACED.finditer(word):
        if run.start() > last:
            found.append(word[last : run.start()])
        chars = run.group()
        found += [chars[i : i + 2] for i in range(max(1, len(chars) - 1))]
        last = run.end()
    if last < len(word):
        found.append(word[last:])
    return found


def entities(text: str) -> list[str]:
    """Names (capitalised spans, lower-cased; a span opening a sentence counts only if it is
    longer than one word, since every sentence of a cased language starts with a capital) and
    figures of two or more digits."""
    found = []
    for span in _NAME_SPAN.finditer(text):
        words = span.group().split()
        if len(words) == 1 and _SENTENCE_START.search(text[max(0, span.start() - 3) : span.start()] if span.start() else ""):
            continue
        found.append(" ".join(words).lower())
    found += [figure.replace(",", "").replace(".", "") for figure in _FIGURE.findall(text)]
    return found


def _vectorizer(block: str, analyzer) -> HashingVectorizer:
    return HashingVectorizer(analyzer=analyzer, n_features=BLOCK_SIZES[block], alternate_sign=False, norm=None, dtype=np.float32)


_BLOCKS = {
    "body": _vectorizer("body", lambda a: terms(f"{a.title}\n{a.text}", a.language)),
    "title": _vectorizer("title", lambda a: terms(a.title, a.language)),
    "entities": _vectorizer("entities", lambda a: entities(f"{a.title}.\n{a.text}")),
}


def count_terms(articles: Sequence[FeedArticle]) -> sparse.csr_matrix:
    """Hashed term counts of each article, the blocks side by side (one row per article)."""
    if not articles:
        return sparse.csr_matrix((0, sum(BLOCK_SIZES.values())), dtype=np.float32)
    return sparse.hstack([_BLOCKS[name].transform(articles) for name in BLOCK_SIZES], format="csr", dtype=np.float32)


def document_frequency(counts: sparse.csr_matrix) -> np.ndarray:
    """In how many articles each hashed term occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)


def tfidf_vectors(counts: sparse.csr_matrix, languages: Sequence[str], settings: GroupingSettings) -> sparse.csr_matrix:
    """Unit vectors, one per row of ``counts``, each weighted by the IDF of its own language's
    articles (:func:`_language_vectors`).

    Args:
        counts: hashed counts (:func:`count_terms`), one row per article (the whole store).
        languages: each row's language.
        settings: the block weights and ``top_terms``.
    """
    languages = np.asarray(languages)
    vectors = sparse.csr_matrix(counts.shape, dtype=np.float32)
    for language in np.unique(languages):
        rows = np.flatnonzero(languages == language)
        part = _language_vectors(counts[rows], settings)
        place = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, np.arange(len(rows)))), shape=(counts.shape[0], len(rows)))
        vectors = vectors + place @ part
    return vectors.tocsr()


def _language_vectors(counts: sparse.csr_matrix, settings: GroupingSettings) -> sparse.csr_matrix:
    """Unit vectors of one language's articles: sublinear TF-IDF over them, the body cut to its
    heaviest terms, blocks weighted."""
    frequency, total = document_frequency(counts), counts.shape[0]
    weights = counts.copy()
    weights.data = 1.0 + np.log(weights.data)
    idf = np.log((1.0 + total) / (1.0 + frequency)) + 1.0
    weights = weights.multiply(idf.astype(np.float32)[None, :]).tocsr()
    scale = {"body": 1.0, "title": settings.title_weight, "entities": settings.entity_weight}
    blocks, start = [], 0
    for name, size in BLOCK_SIZES.items():
        block = weights[:, start : start + size]
        if name == "body":
            block = _heaviest(block, settings.top_terms)
        blocks.append(_unit_rows(block) * np.float32(np.sqrt(scale[name])))
        start += size
    return _unit_rows(sparse.hstack(blocks, format="csr", dtype=np.float32))


def _heaviest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's ``keep`` largest entries (ties broken by column, so the cut is deterministic)."""
    matrix = matrix.tocsr()
    rows, cols, vals = [], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end - start <= keep:
            chosen = np.arange(start, end)
        else:
            order = np.lexsort((matrix.indices[start:end], -matrix.data[start:end]))[:keep]
            chosen = start + order
        rows.append(np.full(len(chosen), row))
        cols.append(matrix.indices[chosen])
        vals.append(matrix.data[chosen])
    if not rows:
        return matrix
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape, dtype=np.float32)


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length; empty rows stay empty."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags((1.0 / norms).astype(np.float32)) @ matrix
