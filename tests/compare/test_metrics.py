"""Known-answer tests for summarizer.compare.metrics on hand-made texts and vectors."""

from __future__ import annotations

import numpy as np
import pytest
from rouge_score import rouge_scorer

from summarizer.compare import metrics
from summarizer.records import DigestSentence

PAIRS = [
    ("The cat sat on the mat.", "The cat was sitting on the mat."),
    ("Police confirmed seven deaths at the airport. Crowds kept growing.", "Seven people died in a crush at Kabul airport, officials said. The crowds grew."),
    ("Ships waited in the canal for days.", "More than 400 vessels waited to pass through the Suez Canal."),
]


def _reference_scores(prediction: str, reference: str) -> dict[str, float]:
    """rouge-score itself, with the sentences of both sides put on their own lines by hand."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    split = lambda text: text.replace(". ", ".\n")  # noqa: E731 - these texts have no abbreviations
    return {k: v.fmeasure for k, v in scorer.score(split(reference), split(prediction)).items()}


@pytest.mark.parametrize("prediction, reference", PAIRS)
def test_rouge_agrees_with_rouge_score(prediction, reference):
    ours = metrics.rouge(prediction, [reference])
    expected = _reference_scores(prediction, reference)
    assert ours == pytest.approx(expected, abs=1e-6)


def test_rouge_of_a_perfect_match_is_one():
    text = "Seven people died in a crush at Kabul airport. The Taliban entered the capital on 15 August."
    assert metrics.rouge(text, [text]) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0, "rougeLsum": 1.0}


def test_rouge_takes_the_best_reference_per_type():
    prediction, good, bad = "The cat sat on the mat.", "The cat sat on the mat.", "Dogs bark loudly at night."
    assert metrics.rouge(prediction, [bad, good]) == metrics.rouge(prediction, [good])
    assert metrics.rouge(prediction, [bad])["rouge1"] == 0.0


def test_rouge_uses_stemming():
    assert metrics.rouge("The cats were running.", ["The cat was running."])["rouge1"] > metrics.rouge("The cats were running.", ["The dog was walking."])["rouge1"]
    assert metrics.rouge("running cats", ["run cat"])["rouge1"] == 1.0


def test_rouge_lsum_reads_sentences_not_one_long_line():
    # The LCS over the whole text can match only one of the two swapped sentences;
    # the summary-level LCS matches each sentence to the reference line it belongs to.
    prediction = "Troops guard the airport gates. Crowds wait outside for days."
    reference = "Crowds wait outside for days. Troops guard the airport gates."
    scores = metrics.rouge(prediction, [reference])
    assert scores["rougeLsum"] == 1.0
    assert scores["rougeL"] < 0.6


def test_rouge_without_references_is_an_error():
    with pytest.raises(ValueError, match="at least one reference"):
        metrics.rouge("text", [])


def test_bootstrap_ci_is_seeded_and_brackets_the_mean():
    values = [0.1, 0.4, 0.2, 0.3, 0.5, 0.25]
    first = metrics.bootstrap_ci(values, resamples=1000, confidence=0.95, seed=0)
    assert first == metrics.bootstrap_ci(values, resamples=1000, confidence=0.95, seed=0)
    assert first != metrics.bootstrap_ci(values, resamples=1000, confidence=0.95, seed=1)
    assert first["mean"] == pytest.approx(0.291667, abs=1e-6)
    assert 0.1 < first["low"] < first["mean"] < first["high"] < 0.5


def test_bootstrap_ci_of_one_or_equal_values_has_no_width():
    assert metrics.bootstrap_ci([0.3], 200, 0.95, 0) == {"mean": 0.3, "low": 0.3, "high": 0.3}
    assert metrics.bootstrap_ci([2.0, 2.0, 2.0], 200, 0.9, 5) == {"mean": 2.0, "low": 2.0, "high": 2.0}


def test_truncate_words_keeps_exactly_the_first_n_whitespace_words():
    assert metrics.truncate_words("One two,  three\nfour. Five", 3) == "One two, three"
    assert metrics.truncate_words("One two", 5) == "One two"
    assert metrics.truncate_words("", 2) == ""


def test_rouge_recall_and_precision_at_n_words_by_hand():
    # reference unigrams: the cat sat on a mat (6); bigrams: 5
    prediction, reference = "The cat sat quietly near dogs.", "The cat sat on a mat."
    whole = {m: metrics.rouge(prediction, [reference], m) for m in ("recall", "precision", "f1")}
    cut = {m: metrics.rouge(prediction, [reference], m, words=3) for m in ("recall", "precision", "f1")}
    assert whole["recall"]["rouge1"] == 0.5 and whole["precision"]["rouge1"] == 0.5 and whole["f1"]["rouge1"] == 0.5
    assert cut["recall"]["rouge1"] == 0.5  # "the cat sat": 3 of 6 reference words
    assert cut["precision"]["rouge1"] == 1.0  # the dropped words matched nothing
    assert cut["f1"]["rouge1"] == pytest.approx(2 / 3, abs=1e-6)
    assert cut["recall"]["rouge2"] == 0.4  # "the cat", "cat sat": 2 of 5 reference bigrams
    assert metrics.rouge(prediction, [reference]) == whole["f1"]  # F1 on whole digests stays the default


def test_rouge_takes_the_best_reference_by_the_measure_asked_for():
    prediction = "The cat sat."
    short, long = "The cat.", "The cat sat on a mat near the door."
    assert metrics.rouge(prediction, [long, short], "recall")["rouge1"] == 1.0  # short: 2 of 2
    assert metrics.rouge(prediction, [short, long], "precision")["rouge1"] == 1.0  # long: 3 of 3


def test_rouge_mean_over_references_by_hand():
    prediction = "The cat sat."
    short, long = "The cat.", "The cat sat on a mat near the door."
    # recall of unigrams: short 2 of 2, long 3 of 9 (the, cat, sat)
    assert metrics.rouge(prediction, [short, long], "recall", combine="mean")["rouge1"] == pytest.approx((1 + 3 / 9) / 2, abs=1e-6)
    assert metrics.rouge(prediction, [short, long], "recall", combine="max")["rouge1"] == 1.0
    assert metrics.rouge(prediction, [short], "recall", combine="mean") == metrics.rouge(prediction, [short], "recall")
    assert metrics.rouge_label("rouge2", "recall", 100, "mean") == "ROUGE-2 recall @100 words, mean of refs"
    assert "mean over references" in metrics.rouge_definition("rouge2", "recall", 100, "mean")
    assert "max over references" in metrics.rouge_definition("rouge2", "recall", 100)


def test_rouge_labels_and_definitions_name_the_protocol():
    assert metrics.rouge_label("rouge1") == "ROUGE-1 F1"
    assert metrics.rouge_label("rouge1", "recall", 100) == "ROUGE-1 recall @100 words"
    assert "first 100 words" in metrics.rouge_definition("rouge2", "recall", 100)
    assert "whole digests" in metrics.METRICS["rougeLsum"] and metrics.METRICS["rougeLsum"].startswith("ROUGE-Lsum F1")


def test_paired_test_of_identical_scores_is_no_difference_with_p_one():
    scores = [0.2, 0.5, 0.3, 0.4]
    assert metrics.paired_test(scores, scores, 1000, 0.95, 0) == {
        "difference": 0.0, "low": 0.0, "high": 0.0, "p": 1.0, "clusters": 4, "exact": True,
    }


def test_paired_test_of_one_cluster_says_nothing():
    assert metrics.paired_test([0.2], [0.5], 1000, 0.95, 0) == {
        "difference": 0.3, "low": 0.3, "high": 0.3, "p": 1.0, "clusters": 1, "exact": True,
    }


def test_paired_test_better_on_every_cluster_is_exact_two_over_two_to_the_n():
    baseline = [0.1, 0.2, 0.3, 0.4, 0.5]
    better = [0.2, 0.3, 0.4, 0.5, 0.7]
    test = metrics.paired_test(baseline, better, 1000, 0.95, 0)
    # of the 2**5 ways to swap the pairs, only "none" and "all" reach a mean difference of 0.12
    assert test["p"] == pytest.approx(2 / 32, abs=1e-6)
    assert test["difference"] == pytest.approx(0.12, abs=1e-6)
    assert 0.1 <= test["low"] < test["difference"] < test["high"] <= 0.2  # every difference is 0.1 or 0.2
    ten = metrics.paired_test([0.0] * 10, [0.1] * 9 + [0.3], 1000, 0.95, 0)
    assert ten["p"] == pytest.approx(2 / 1024, abs=1e-6)
    assert metrics.paired_test(better, baseline, 1000, 0.95, 0)["difference"] == pytest.approx(-0.12, abs=1e-6)


def test_paired_test_p_value_by_hand_on_mixed_differences():
    # differences +1 +1 +1 -1: of the 16 sign patterns, the 6 with sum 0 are less extreme than
    # the observed |sum| = 2, so p = 10/16
    test = metrics.paired_test([0, 0, 0, 1], [1, 1, 1, 0], 1000, 0.95, 0)
    assert test["p"] == pytest.approx(10 / 16, abs=1e-6)
    assert test["difference"] == 0.5


def test_paired_test_samples_swaps_when_too_many_and_is_seeded():
    baseline = [0.01 * i for i in range(17)]  # 2**17 swaps > EXACT_SWAPS: sampled, not enumerated
    other = [b + (0.05 if i % 3 else -0.02) for i, b in enumerate(baseline)]
    first = metrics.paired_test(baseline, other, 1000, 0.95, 7)
    assert first == metrics.paired_test(baseline, other, 1000, 0.95, 7) and not first["exact"]
    assert 1 / 1001 <= first["p"] < 0.05


def test_paired_test_needs_the_same_clusters():
    with pytest.raises(ValueError, match="same non-empty clusters"):
        metrics.paired_test([0.1, 0.2], [0.3], 1000, 0.95, 0)


def test_compression_is_source_words_over_digest_words():
    assert metrics.compression(1000, 250) == 4.0
    assert metrics.compression(1000, 0) is None


def test_redundancy_on_hand_made_vectors():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    assert metrics.redundancy(vectors) == {"redundancy_mean": pytest.approx(1 / 3, abs=1e-6), "redundancy_max": 1.0}
    assert metrics.redundancy(vectors[:1]) == {"redundancy_mean": 0.0, "redundancy_max": 0.0}


def test_novel_ngrams_count_phrases_absent_from_every_source():
    sources = ["The cat sat on the mat.", "A dog barked."]
    assert metrics.novel_ngram_share(["The cat sat."], sources, 1) == 0.0
    assert metrics.novel_ngram_share(["The dog sat."], sources, 1) == 0.0  # every word occurs somewhere
    assert metrics.novel_ngram_share(["The dog sat."], sources, 2) == 1.0  # "the dog", "dog sat" are new
    assert metrics.novel_ngram_share(["The cat sat.", "A dog barked."], sources, 2) == 0.0  # no bigram across sentences
    assert metrics.novel_ngram_share(["The cat flew."], sources, 2) == 0.5


def _sentence(text: str, *sources: str) -> DigestSentence:
    return DigestSentence(text=text, sources=tuple(sources), doc_id=sources[0])


def test_coverage_counts_cited_articles_and_multi_source_sentences():
    digest = [_sentence("One.", "a", "b"), _sentence("Two.", "b"), _sentence("Three.", "a", "c")]
    assert metrics.coverage(digest, ["a", "b", "c", "d"]) == {
        "articles_cited": 3,
        "articles_cited_share": 0.75,
        "multi_source_sentences": 2,
        "multi_source_share": pytest.approx(2 / 3, abs=1e-6),
    }


def test_faithfulness_flags_numbers_and_names_missing_from_cited_articles():
    """The guard's own rule (summarizer.fuse.unsupported), over the articles a sentence cites."""
    from summarizer.fuse import unsupported

    articles = {
        "a": "A NATO official said at least 20 people had died around Kabul airport.",
        "b": "About 25,100 people were evacuated, the White House said.",
    }
    faithful = "At least twenty died at Kabul airport, a NATO official said."  # "twenty" is 20
    other_source = "The White House counted 25100 evacuees."  # true in b, but b is not cited
    invented = "At least 21 died, said Jake Sullivan."
    flags = [unsupported(faithful, [articles["a"]]), unsupported(other_source, [articles["a"]]), unsupported(invented, list(articles.values()))]
    assert flags == [(), ("25,100", "The White House"), ("21", "Jake Sullivan")]
    assert metrics.faithful_share(flags) == pytest.approx(1 / 3, abs=1e-6)
    assert metrics.faithful_share([]) is None


def test_every_metric_a_comparison_scores_is_defined_and_every_definition_is_scored():
    """The scores come from a real comparison (clusters with references, so ROUGE too), not
    from the names METRICS is built from."""
    from pathlib import Path

    from summarizer.compare import compare
    from summarizer.config import load_config

    clusters = Path(__file__).resolve().parents[2] / "examples" / "clusters.jsonl"
    config = load_config("lead", ["fusion.embedder=tfidf", "cache.enabled=false"])
    comparison = compare(clusters, [("lead", config)], progress=False)
    for scores in comparison.results[0].per_cluster:
        assert set(scores) == set(metrics.METRICS)
    assert all(definition.strip() for definition in metrics.METRICS.values())
