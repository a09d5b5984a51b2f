"""Learned concept weights: the features of a concept, the regression, the shipped model."""

import json

import numpy as np
import pytest

from summarizer.fuse import weights
from summarizer.fuse.merge import sentences_of
from summarizer.config import FusionSettings
from summarizer.fuse.select import occurrences

OPENING = "Floods swept through the river town of Ashby on Monday night."
LATE = "A local bakery sold out of bread rolls by noon on Saturday."
FILLER = "The regional council met to discuss the new road budget for next year."


def _table(texts):
    corpus = sentences_of([(f"d{i}", t) for i, t in enumerate(texts)], FusionSettings())
    names, table = weights.features(occurrences(corpus), len(texts))
    return {concept: dict(zip(weights.FEATURES, row)) for concept, row in zip(names, table)}


def test_a_concept_opening_every_article_reads_as_widely_reported_and_early():
    rows = _table([f"{OPENING} {FILLER}", f"{OPENING} {FILLER}", f"{FILLER} {FILLER} {LATE}"])
    flood, bakery = rows[("flood", "swept")], rows[("local", "bakeri")]
    assert flood["df_share"] == pytest.approx(2 / 3) and flood["lead_share"] == pytest.approx(2 / 3) and flood["first_position"] == 1.0
    assert bakery["df_share"] == pytest.approx(1 / 3) and bakery["lead_share"] == 0 and bakery["first_position"] == pytest.approx(1 / 3)
    assert rows[("of", "ashbi")]["capitalised"] == 1.0 and flood["capitalised"] == 0.0  # "Floods" opens the sentence
    assert rows[("the", "river")]["stopwords"] == 0.5


def test_the_shipped_model_weighs_a_widely_reported_opening_above_a_late_detail():
    texts = [f"{OPENING} {FILLER}", f"{OPENING} {FILLER}", f"{FILLER} {FILLER} {LATE}"]
    corpus = sentences_of([(f"d{i}", t) for i, t in enumerate(texts)], FusionSettings())
    learned = weights.weigh(occurrences(corpus), len(texts), weights.shipped_model(), 0.0)
    assert learned[("flood", "swept")] > learned[("local", "bakeri")]
    assert json.loads(weights.MODEL_FILE.read_text())["features"] == list(weights.FEATURES)


def test_the_regression_follows_the_feature_that_predicts_the_share():
    rng = np.random.default_rng(0)
    table = rng.uniform(size=(2000, len(weights.FEATURES)))
    share = (table[:, 0] > 0.5).astype(float)  # only df_share matters
    model = weights.fit(table, share, l2=1.0)
    assert model.coefficients[0] > 1.0 and max(abs(c) for c in model.coefficients[1:]) < 0.3
    rest = [0.5] * (len(weights.FEATURES) - 1)
    p = model.predict(np.array([[0.9, *rest], [0.1, *rest]]))
    assert p[0] > 0.8 > 0.2 > p[1]


def test_a_model_of_other_features_is_refused_with_the_fix():
    model = weights.ConceptModel(("df_share",), (0.0,), (1.0,), (1.0,), 0.0)
    with pytest.raises(ValueError, match="retrain"):
        model.predict(np.zeros((1, len(weights.FEATURES))))
