"""Learned concept weights: how likely a human summary is to hold a concept, from how the articles use it.

After Li, Qian & Liu (2013) and Hong & Nenkova (2014, RegSum): instead of weighting a concept
(a stemmed word bigram, see :func:`summarizer.fuse.select.concepts`) by the number of articles
that hold it, a regression from a few features of the concept predicts the share of reference
summaries that contain it. The features (:data:`FEATURES`) are computed per cluster:

* ``df_share``, ``log_df``, ``log_tf``: how many of the articles hold it, and how often it occurs;
* ``first_position``, ``mean_first_position``, ``lead_share``: how early it comes (news writing
  puts the main facts first): ``1/(1 + rank)`` of its earliest statement anywhere, the mean of
  that over the articles holding it, and the share of articles whose first statement holds it;
* ``capitalised``: the share of its occurrences with a capitalised word (not the sentence's
  first), i.e. a name;
* ``stopwords``: the share of its two words that are stopwords;
* ``digit``: it holds a number;
* ``log_articles``: the cluster's size, so the other counts are read against it;
* ``word_df_share``: the share of articles holding the rarer of its two words (in any concept),
  so that a bigram new in wording but about a widely reported thing still counts.

The model is a logistic regression fitted to soft labels (the share of references holding the
concept, which is what mean-over-references ROUGE-2 recall rewards), with an L2 penalty, in
numpy and scipy; its coefficients ship as ``concept_model.json`` beside this module, written by
``scripts/train_concept_weights.py`` (trained on DUC 2003 task 2, cross-validated there by
folds of clusters).

Where this deviates from the papers: Li et al. fit the weights inside the integer program's
objective (a joint structured model) and use many more features (including web and WordNet ones);
RegSum regresses word (unigram) weights with external frequency priors. Here it is bigrams,
features from the cluster alone (no background corpus, so no IDF), and a plain regression
whose prediction becomes the concept's weight, scaled by the number of articles so that the
position prior of the selection keeps its meaning.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

Concept = tuple[str, str]

FEATURES = (
    "df_share",
    "log_df",
    "log_tf",
    "first_position",
    "mean_first_position",
    "lead_share",
    "capitalised",
    "stopwords",
    "digit",
    "log_articles",
    "word_df_share",
)
MODEL_FILE = Path(__file__).with_name("concept_model.json")


@dataclass(frozen=True)
class Occurrence:
    """One concept in one statement of one article."""

    concept: Concept
    doc_index: int
    rank: int  # the statement's rank among its article's statements (0 = the first)
    capitalised: bool  # one of its words is capitalised and not the sentence's first word
    stopwords: int  # how many of its two words are stopwords


@dataclass(frozen=True)
class ConceptModel:
    """A logistic regression over standardised :data:`FEATURES`."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float

    def predict(self, table: np.ndarray) -> np.ndarray:
        """The predicted share of references holding each row's concept, in (0, 1)."""
        if self.features != FEATURES:
            raise ValueError(f"{MODEL_FILE}: model features {self.features} are not this version's {FEATURES}; retrain with scripts/train_concept_weights.py")
        z = (table - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.array(self.coefficients) + self.intercept)))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale), "coefficients": list(self.coefficients), "intercept": self.intercept}


def features(occurrences: Iterable[Occurrence], articles: int) -> tuple[list[Concept], np.ndarray]:
    """The concepts of a cluster and one row of :data:`FEATURES` for each, in first-seen order."""
    first_rank: dict[Concept, dict[int, int]] = {}
    count: dict[Concept, int] = {}
    capitalised: dict[Concept, int] = {}
    stop: dict[Concept, int] = {}
    for occ in occurrences:
        ranks = first_rank.setdefault(occ.concept, {})
        ranks[occ.doc_index] = min(ranks.get(occ.doc_index, occ.rank), occ.rank)
        count[occ.concept] = count.get(occ.concept, 0) + 1
        capitalised[occ.concept] = capitalised.get(occ.concept, 0) + occ.capitalised
        stop[occ.concept] = occ.stopwords
    word_docs: dict[str, set[int]] = {}
    for concept, ranks in first_rank.items():
        for word in concept:
            word_docs.setdefault(word, set()).update(ranks)
    names = list(first_rank)
    table = np.zeros((len(names), len(FEATURES)))
    for row, concept in enumerate(names):
        ranks = np.array(list(first_rank[concept].values()), dtype=float)
        df, tf = len(ranks), count[concept]
        table[row] = (
            df / articles,
            math.log(df),
            math.log(tf),
            1.0 / (1.0 + ranks.min()),
            float(np.mean(1.0 / (1.0 + ranks))),
            float(np.sum(ranks == 0)) / articles,
            capitalised[concept] / tf,
            stop[concept] / 2.0,
            float(any(ch.isdigit() for word in concept for ch in word)),
            math.log(articles),
            min(len(word_docs[word]) for word in concept) / articles,
        )
    return names, table


def fit(table: np.ndarray, share: np.ndarray, l2: float = 1.0) -> ConceptModel:
    """Logistic regression of ``share`` (in [0, 1]) on ``table``, cross-entropy plus ``l2`` on the coefficients."""
    from scipy.optimize import minimize

    mean, scale = table.mean(axis=0), table.std(axis=0)
    scale[scale == 0] = 1.0
    z = (table - mean) / scale
    rows = len(share)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        logit = z @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-logit))
        value = np.sum(np.logaddexp(0.0, logit) - share * logit) / rows + 0.5 * l2 * theta[:-1] @ theta[:-1] / rows
        grad = np.append(z.T @ (p - share) / rows + l2 * theta[:-1] / rows, np.sum(p - share) / rows)
        return value, grad

    theta = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return ConceptModel(FEATURES, tuple(mean.tolist()), tuple(scale.tolist()), tuple(theta[:-1].tolist()), float(theta[-1]))


def weigh(occurrences: Sequence[Occurrence], articles: int, model: ConceptModel, floor: float) -> dict[Concept, float]:
    """Each concept's weight for the selection: ``articles`` x its predicted reference share, if that reaches ``floor``."""
    names, table = features(occurrences, articles)
    if not names:
        return {}
    share = model.predict(table)
    return {concept: float(articles * p) for concept, p in zip(names, share) if p >= floor}


@lru_cache(maxsize=1)
def shipped_model() -> ConceptModel:
    """The model in ``concept_model.json``."""
    try:
        data = json.loads(MODEL_FILE.read_text())
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{MODEL_FILE}: cannot read the concept-weight model ({exc}); reinstall the package or rerun scripts/train_concept_weights.py") from exc
    return ConceptModel(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coefficients"]), float(data["intercept"]))
