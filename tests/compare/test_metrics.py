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


def test_mentions_are_numbers_and_capitalised_spans():
    sentence = "The White House said Britain's 600 troops and 25,100 evacuees left Kabul on 15 August."
    assert metrics.mentions(sentence) == {"White House", "Britain", "600", "25100", "Kabul", "15", "August"}
    assert metrics.mentions("Taliban fighters advanced.") == set()  # a capital at the start is no name


def test_faithfulness_flags_numbers_and_names_missing_from_cited_articles():
    articles = {
        "a": "A NATO official said at least 20 people had died around Kabul airport.",
        "b": "About 25,100 people were evacuated, the White House said.",
    }
    faithful = _sentence("At least 20 died at Kabul airport, a NATO official said.", "a")
    other_source = _sentence("The White House counted 25100 evacuees.", "a")  # true in b, but b is not cited
    invented = _sentence("At least 21 died, said Jake Sullivan.", "a", "b")
    assert metrics.unsupported_mentions(faithful.text, [articles["a"]]) == set()
    assert metrics.unsupported_mentions(other_source.text, [articles["a"]]) == {"White House", "25100"}
    assert metrics.unsupported_mentions(invented.text, list(articles.values())) == {"21", "Jake Sullivan"}
    assert metrics.faithful_share([faithful, other_source, invented], articles) == pytest.approx(1 / 3, abs=1e-6)
    assert metrics.faithful_share([], articles) is None


def test_every_metric_has_a_definition():
    assert set(metrics.ROUGE_TYPES) <= set(metrics.METRICS)
    assert all(f"novel_{n}grams" in metrics.METRICS for n in metrics.NOVEL_NGRAM_SIZES)
