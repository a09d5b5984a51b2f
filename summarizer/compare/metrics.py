"""Metrics that compare digests: pure functions of strings, vectors and digest sentences.

Every function takes plain values (texts, doc ids, L2-normalised vectors) and returns numbers,
so each can be checked on hand-made inputs; :mod:`summarizer.compare` gathers them per config
and cluster. :data:`METRICS` names the exact variant of each one, and is copied into
``compare.json`` so a number is never read without its definition.

Deviations from common practice, on purpose:

* ROUGE-Lsum needs one sentence per line. rouge-score would split with NLTK's punkt, which is a
  download; we split with :func:`summarizer.data.segment.split_sentences` (pysbd) instead, for the
  digest and the references alike.
* rouge-score's ``BootstrapAggregator`` draws from numpy's global, unseeded generator, so two
  runs give different intervals. :func:`bootstrap_ci` is the same percentile bootstrap over
  clusters, drawn from ``numpy.random.default_rng(seed)``.
* The faithfulness proxy is a regex, not a model: numbers, and spans of capitalised words
  (named entities, roughly), must appear verbatim in the articles a sentence cites. It misses
  spelled-out numbers ("seven") and paraphrased names, and it counts a capitalised common word
  ("Western") as a name; it is a cheap alarm for invented figures, not a verdict.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

from ..data import split_sentences
from ..records import DigestSentence

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")

#: The name of every metric in tables and JSON, with its exact variant.
METRICS: dict[str, str] = {
    "rouge1": "ROUGE-1 F1 (rouge-score, Porter stemming on; max over references by F1, rouge-score's score_multi)",
    "rouge2": "ROUGE-2 F1 (rouge-score, Porter stemming on; max over references by F1)",
    "rougeL": "ROUGE-L F1 (rouge-score, Porter stemming on; LCS over the whole text; max over references by F1)",
    "rougeLsum": "ROUGE-Lsum F1 (rouge-score, Porter stemming on; summary-level LCS, sentences split by pysbd "
    "and joined by newlines; max over references by F1)",
    "words": "digest length in words (whitespace tokens)",
    "compression": "source words / digest words (all articles of the cluster; Grusky et al. 2018)",
    "redundancy_mean": "mean cosine similarity over all pairs of digest sentences (the run's embedder; 0 with fewer than 2 sentences)",
    "redundancy_max": "highest cosine similarity between two digest sentences (the run's embedder; 0 with fewer than 2 sentences)",
    "novel_1grams": "share of the digest's distinct lower-cased word unigrams found in no source article",
    "novel_2grams": "share of the digest's distinct lower-cased word bigrams (within a sentence) found in no source article",
    "novel_3grams": "share of the digest's distinct lower-cased word trigrams (within a sentence) found in no source article",
    "articles_cited": "articles cited by at least one digest sentence",
    "articles_cited_share": "articles cited by at least one digest sentence / articles in the cluster",
    "multi_source_sentences": "digest sentences backed by more than one article",
    "multi_source_share": "digest sentences backed by more than one article / digest sentences",
    "faithful_share": "digest sentences whose numbers and capitalised spans (regex) all appear in the articles they cite",
    "summarize_s": "wall time of the per-article summarization stage, seconds (shared summaries: the time of the one run that made them)",
    "summarized_articles": "articles summarized by the model in this run (the others came from the on-disk summary cache, untimed)",
    "words_per_s": "source words summarized per second of the summarization stage (whitespace tokens, one scale for every model; "
    "empty when the on-disk cache served some articles: --set cache.enabled=false to time them all)",
}

NOVEL_NGRAM_SIZES = (1, 2, 3)
_WORD = re.compile(r"[a-z0-9]+")
# A number: digits with optional thousands separators or decimals ("25,100", "9.6", "2001").
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A span of capitalised words ("White House", "Ali Maisam Nazary"), apostrophes and hyphens inside.
_CAPITALISED_SPAN = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_POSSESSIVE = re.compile(r"['’]s?$")


@lru_cache(maxsize=1)
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge(prediction: str, references: Sequence[str]) -> dict[str, float]:
    """ROUGE-1/2/L/Lsum F1 of ``prediction`` against the best-matching reference.

    Each reference is scored on its own and, per ROUGE type, the one with the highest F1 counts
    (rouge-score's ``score_multi``). For ROUGE-Lsum both sides are re-written one sentence per
    line first, which is the form that variant expects.

    Raises:
        ValueError: no reference given (a comparison without references reports no ROUGE).
    """
    if not references:
        raise ValueError("ROUGE needs at least one reference summary")
    scorer = _rouge_scorer()
    scores = scorer.score_multi([_one_sentence_per_line(r) for r in references], _one_sentence_per_line(prediction))
    return {kind: round(float(scores[kind].fmeasure), 6) for kind in ROUGE_TYPES}


def _one_sentence_per_line(text: str) -> str:
    # only ROUGE-Lsum reads the newlines; the other types tokenize across them unchanged
    return "\n".join(split_sentences(text))


def bootstrap_ci(values: Sequence[float], resamples: int, confidence: float, seed: int) -> dict[str, float]:
    """Mean and percentile bootstrap interval of the mean, resampling the values with replacement.

    With one value the interval is that value: one cluster says nothing about spread.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("bootstrap_ci needs at least one value")
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return {"mean": round(float(data.mean()), 6), "low": round(float(low), 6), "high": round(float(high), 6)}


def words(text: str) -> int:
    """Whitespace tokens, as the digest budget counts them."""
    return len(text.split())


def compression(source_words: int, digest_words: int) -> float | None:
    """How many times shorter the digest is than its sources; None for an empty digest."""
    return round(source_words / digest_words, 4) if digest_words else None


def redundancy(vectors: np.ndarray) -> dict[str, float]:
    """Mean and max cosine over all pairs of rows (L2-normalised rows, so cosine = dot)."""
    n = vectors.shape[0]
    if n < 2:
        return {"redundancy_mean": 0.0, "redundancy_max": 0.0}
    pairs = (vectors @ vectors.T)[np.triu_indices(n, k=1)]
    return {"redundancy_mean": round(float(pairs.mean()), 6), "redundancy_max": round(float(pairs.max()), 6)}


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """Distinct lower-cased word n-grams (letters and digits only; punctuation is ignored)."""
    tokens = _WORD.findall(text.lower())
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def novel_ngram_share(sentences: Sequence[str], sources: Sequence[str], n: int) -> float:
    """Share of the distinct n-grams of the digest sentences that occur in no source (0 = copied).

    N-grams are taken within each sentence: one spanning two copied sentences is an artefact of
    joining them, not a new phrase.
    """
    produced = set().union(*(ngrams(sentence, n) for sentence in sentences)) if sentences else set()
    if not produced:
        return 0.0
    seen = set().union(*(ngrams(source, n) for source in sources)) if sources else set()
    return round(len(produced - seen) / len(produced), 6)


def coverage(sentences: Sequence[DigestSentence], doc_ids: Sequence[str]) -> dict[str, float]:
    """How many articles the digest cites, and how many of its sentences several articles back."""
    cited = {source for sentence in sentences for source in sentence.sources} & set(doc_ids)
    multi = sum(1 for sentence in sentences if sentence.support > 1)
    return {
        "articles_cited": len(cited),
        "articles_cited_share": round(len(cited) / len(doc_ids), 6) if doc_ids else 0.0,
        "multi_source_sentences": multi,
        "multi_source_share": round(multi / len(sentences), 6) if sentences else 0.0,
    }


def mentions(sentence: str) -> set[str]:
    """Numbers (thousands separators removed) and capitalised spans of one sentence.

    The sentence's first word is dropped from its span, because a capital there marks the
    start of the sentence, not a name ("The White House said" gives "White House"). A trailing
    possessive is dropped too ("Britain's" gives "Britain").
    """
    found = {number.replace(",", "") for number in _NUMBER.findall(sentence)}
    start = len(sentence) - len(sentence.lstrip("\"'“‘( "))
    for match in _CAPITALISED_SPAN.finditer(sentence):
        span = match.group()
        if match.start() == start:
            span = span.partition(" ")[2] if " " in span else ""
        span = _POSSESSIVE.sub("", span).strip()
        if span:
            found.add(span)
    return found


def unsupported_mentions(sentence: str, sources: Sequence[str]) -> set[str]:
    """The mentions of ``sentence`` that none of the ``sources`` texts contains."""
    numbers = {n.replace(",", "") for source in sources for n in _NUMBER.findall(source)}
    text = "\n".join(sources)
    missing = set()
    for mention in mentions(sentence):
        if mention[0].isdigit():
            if mention not in numbers:
                missing.add(mention)
        elif not re.search(rf"(?<![^\W\d]){re.escape(mention)}(?![^\W\d])", text):  # not inside a word
            missing.add(mention)
    return missing


def faithful_share(sentences: Sequence[DigestSentence], articles: Mapping[str, str]) -> float | None:
    """Share of digest sentences whose mentions all appear in the articles they cite; None for an empty digest."""
    if not sentences:
        return None
    supported = sum(
        1 for s in sentences if not unsupported_mentions(s.text, [articles[d] for d in s.sources if d in articles])
    )
    return round(supported / len(sentences), 6)
