"""Metrics that compare digests: pure functions of strings, vectors and digest sentences.

Every function takes plain values (texts, doc ids, L2-normalised vectors) and returns numbers,
so each can be checked on hand-made inputs; :mod:`summarizer.compare` gathers them per config
and cluster. :data:`METRICS` names the exact variant of each one, and is copied into
``compare.json`` so a number is never read without its definition.

Deviations from common practice, on purpose:

* ROUGE-Lsum needs one sentence per line. rouge-score would split with NLTK's punkt, which is a
  download; we split with :func:`summarizer.text.sentences.split_sentences` (sentencex) instead, for the
  digest and the references alike.
* rouge-score's ``BootstrapAggregator`` draws from numpy's global, unseeded generator, so two
  runs give different intervals. :func:`bootstrap_ci` is the same percentile bootstrap over
  clusters, by ``scipy.stats.bootstrap`` drawing from ``numpy.random.default_rng(seed)``.
* Two configs are compared by :func:`paired_test` over the same clusters: a paired permutation
  test (each cluster's two scores swapped or not; exact when the clusters are few enough, as
  on DUC/TAC-sized sets) for the p-value, and a paired bootstrap for the interval of the mean
  difference. Both are ``scipy.stats`` functions, seeded.
* By default ROUGE scores whole digests by F1 against the best-matching reference (as
  rouge-score's ``score_multi`` does), because digests of different configs need not have one
  length. The DUC/TAC protocol (recall of each digest cut to its first N words, so that a
  longer digest earns nothing for its length, averaged over the references as ROUGE-1.5.5 does
  by default) is :func:`rouge` with ``measure="recall"``, ``words=N`` and
  ``references="mean"``; published DUC/TAC figures are of that kind, and the best reference
  alone scores higher. :func:`rouge_label` and :func:`rouge_definition` name the protocol used.
* The faithfulness proxy is the hallucination guard's lexical rule, not a model
  (:func:`summarizer.fuse.hallucination.unsupported`): a sentence's numbers (in digits or words: "seven"
  matches "7") and the words of its runs of capitalised words (names, roughly) must appear in
  the articles it cites. It misses paraphrased names and counts a capitalised common word
  ("Western") as a name; it is a cheap alarm for invented figures, not a verdict.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, Sequence

import numpy as np
from scipy import stats

from ..text import split_sentences, stem, words
from ..records import DigestSentence

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")

ROUGE_MEASURES = {"f1": "fmeasure", "recall": "recall", "precision": "precision"}
RougeMeasure = Literal["f1", "recall", "precision"]
ReferenceCombination = Literal["max", "mean"]  # how one digest's scores against several references become one
_ROUGE_NAMES = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum"}
_ROUGE_VARIANTS = {
    "rouge1": "rouge-score",
    "rouge2": "rouge-score",
    "rougeL": "rouge-score; LCS over the whole text",
    "rougeLsum": "rouge-score; summary-level LCS, sentences split by the cluster's language and joined by newlines",
}

#: The name of every metric in tables and JSON, with its exact variant (ROUGE: the default protocol).
METRICS: dict[str, str] = {
    **{kind: "" for kind in ROUGE_TYPES},  # filled in below by rouge_definition
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
    "faithful_share": "digest sentences whose numbers and names all appear in the articles they cite (the hallucination guard's rule)",
    "summarize_s": "wall time of the per-article summarization stage, seconds (shared summaries: the time of the one run that made them)",
    "summarized_articles": "articles summarized by the model in this run (the others came from the on-disk summary cache, untimed)",
    "words_per_s": "source words summarized per second of the summarization stage (whitespace tokens, one scale for every model; "
    "empty when the on-disk cache served some articles: --set cache.enabled=false to time them all)",
}



class RougeTokens:
    """ROUGE's tokenizer for one language: :func:`summarizer.text.words`, and Porter stems of the
    words over three letters in English (rouge-score's own rule, which ROUGE-1.5.5's ``-m``
    follows). On ASCII text this is exactly rouge-score's default tokenizer, whose ``[a-z0-9]``
    filter would leave nothing of an Arabic or Hindi summary; other languages are not stemmed,
    as the MultiLing 2011 evaluation scored them."""

    def __init__(self, language: str = "en"):
        self.language = language

    def tokenize(self, text: str) -> list[str]:
        tokens = words(text, self.language)
        if self.language != "en":
            return tokens
        return [stem(token) if len(token) > 3 else token for token in tokens]


def tokenizer_label(language: str = "en") -> str:
    """How ROUGE tokenized ``language``, for tables and compare.json."""
    if language == "en":
        return "Unicode word tokens, lower case, Porter stemming of words over 3 letters"
    return f"Unicode word tokens, lower case, no stemming ({language})"


def rouge_label(kind: str, measure: RougeMeasure = "f1", words: int | None = None, combine: ReferenceCombination = "max") -> str:
    """The column header of one ROUGE type under one protocol, e.g. "ROUGE-1 recall @100 words, mean of refs"."""
    name = f"{_ROUGE_NAMES[kind]} {'F1' if measure == 'f1' else measure}"
    name = f"{name} @{words} words" if words else name
    return f"{name}, mean of refs" if combine == "mean" else name


def rouge_definition(
    kind: str,
    measure: RougeMeasure = "f1",
    words: int | None = None,
    combine: ReferenceCombination = "max",
    languages: Sequence[str] = ("en",),
) -> str:
    """The exact variant of one ROUGE type under one protocol and the tokenizers of the clusters'
    ``languages``, for legends and compare.json."""
    cut = f"each digest cut to its first {words} words (whitespace tokens) before scoring" if words else "whole digests"
    combined = "mean over references" if combine == "mean" else "max over references by that measure"
    tokens = "; ".join(tokenizer_label(language) for language in sorted(set(languages)))
    return f"{rouge_label(kind, measure, words, combine)} ({_ROUGE_VARIANTS[kind]}; {tokens}; {cut}; {combined})"


METRICS.update({kind: rouge_definition(kind) for kind in ROUGE_TYPES})

NOVEL_NGRAM_SIZES = (1, 2, 3)


@lru_cache(maxsize=None)
def _rouge_scorer(language: str = "en"):
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=RougeTokens(language))


def rouge(
    prediction: str,
    references: Sequence[str],
    measure: RougeMeasure = "f1",
    words: int | None = None,
    combine: ReferenceCombination = "max",
    language: str = "en",
) -> dict[str, float]:
    """ROUGE-1/2/L/Lsum of ``prediction`` against the best-matching reference, or all of them.

    Each reference is scored on its own and, per ROUGE type, the one with the highest value of
    ``measure`` counts (as rouge-score's ``score_multi`` does for F1), or, with ``combine="mean"``,
    their mean (the DUC/TAC protocol). For ROUGE-Lsum both sides are re-written one sentence per
    line first, which is the form that variant expects.

    Args:
        prediction: the digest.
        references: the human summaries.
        measure: f1 (the default: fair to digests of different lengths), recall (DUC/TAC,
            meaningful only with ``words``) or precision.
        words: cut the digest to its first N words before scoring (DUC/TAC used 100 or 250);
            None scores the whole digest.
        combine: "max" (the best reference) or "mean" (every reference counts equally).
        language: the texts' language: their tokens (:class:`RougeTokens`) and sentences.

    Raises:
        ValueError: no reference given (a comparison without references reports no ROUGE).
    """
    if not references:
        raise ValueError("ROUGE needs at least one reference summary")
    if words is not None:
        prediction = truncate_words(prediction, words)
    field = ROUGE_MEASURES[measure]
    scorer = _rouge_scorer(language)
    target = _one_sentence_per_line(prediction, language)
    per_reference = [scorer.score(_one_sentence_per_line(r, language), target) for r in references]
    pick = max if combine == "max" else (lambda values: sum(values) / len(values))
    return {kind: round(pick([float(getattr(s[kind], field)) for s in per_reference]), 6) for kind in ROUGE_TYPES}


def truncate_words(text: str, words: int) -> str:
    """The first ``words`` whitespace tokens of ``text``, joined by single spaces (the whole text if shorter)."""
    return " ".join(text.split()[:words])


def _one_sentence_per_line(text: str, language: str = "en") -> str:
    # only ROUGE-Lsum reads the newlines; the other types tokenize across them unchanged
    return "\n".join(split_sentences(text, language))


def bootstrap_ci(values: Sequence[float], resamples: int, confidence: float, seed: int) -> dict[str, float]:
    """Mean and percentile bootstrap interval of the mean, resampling the values with replacement.

    With one value, or all values equal, the interval is the mean: there is no spread to
    resample (and scipy would warn of a degenerate distribution).
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("bootstrap_ci needs at least one value")
    mean = float(data.mean())
    if data.size == 1 or np.ptp(data) == 0:
        return {"mean": round(mean, 6), "low": round(mean, 6), "high": round(mean, 6)}
    interval = stats.bootstrap(
        (data,), np.mean, n_resamples=resamples, confidence_level=confidence, method="percentile",
        rng=np.random.default_rng(seed),
    ).confidence_interval
    return {"mean": round(mean, 6), "low": round(float(interval.low), 6), "high": round(float(interval.high), 6)}


#: The paired permutation test enumerates every swap up to this many (16 clusters), else samples.
EXACT_SWAPS = 2**16


def paired_test(baseline: Sequence[float], other: Sequence[float], resamples: int, confidence: float, seed: int) -> dict[str, float]:
    """Is ``other`` better than ``baseline`` on the same clusters? Mean difference, interval, p-value.

    ``baseline[i]`` and ``other[i]`` are the two configs' scores on cluster i. The difference is
    ``other - baseline``; its interval is the percentile bootstrap of the mean difference (the
    clusters resampled as pairs), and ``p`` is the two-sided paired permutation test of "no
    difference": under it, either score of a cluster could belong to either config, so the
    test swaps them per cluster. All 2**n swaps are enumerated when there are at most
    :data:`EXACT_SWAPS` of them (up to 16 clusters, a few milliseconds; exact: with every
    difference positive, p = 2 / 2**n), else ``resamples`` random ones are drawn (p >= 1 / (resamples + 1)).

    Raises:
        ValueError: the two lists differ in length, or are empty.
    """
    a, b = np.asarray(baseline, dtype=float), np.asarray(other, dtype=float)
    if a.size != b.size or a.size == 0:
        raise ValueError(f"a paired test needs the same non-empty clusters for both configs, got {a.size} and {b.size} scores")
    difference = b - a
    interval = bootstrap_ci(difference, resamples, confidence, seed)
    exact = 2**a.size <= max(resamples, EXACT_SWAPS)
    if a.size == 1 or not difference.any():
        p = 1.0  # one cluster, or identical scores: every swap is as extreme as what was observed
    else:
        p = float(
            stats.permutation_test(
                (b, a), _mean_difference, permutation_type="samples", vectorized=True,
                n_resamples=2**a.size if exact else resamples, rng=np.random.default_rng(seed),
            ).pvalue
        )
    return {
        "difference": interval["mean"], "low": interval["low"], "high": interval["high"], "p": round(p, 6),
        "clusters": int(a.size), "exact": exact,
    }


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x - y, axis=axis)


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


def ngrams(text: str, n: int, language: str = "en") -> set[tuple[str, ...]]:
    """Distinct lower-cased word n-grams (letters, marks and digits; punctuation is ignored)."""
    tokens = words(text, language)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def novel_ngram_share(sentences: Sequence[str], sources: Sequence[str], n: int, language: str = "en") -> float:
    """Share of the distinct n-grams of the digest sentences that occur in no source (0 = copied).

    N-grams are taken within each sentence: one spanning two copied sentences is an artefact of
    joining them, not a new phrase.
    """
    produced = set().union(*(ngrams(sentence, n, language) for sentence in sentences)) if sentences else set()
    if not produced:
        return 0.0
    seen = set().union(*(ngrams(source, n, language) for source in sources)) if sources else set()
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


def faithful_share(unsupported: Sequence[Sequence[str]]) -> float | None:
    """Share of digest sentences with nothing unsupported (one list of unsupported numbers and
    names per sentence); None for an empty digest."""
    if not unsupported:
        return None
    return round(sum(1 for missing in unsupported if not missing) / len(unsupported), 6)
