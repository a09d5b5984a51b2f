"""Paraphrases below the cosine threshold: shared content words, names across spellings."""

import numpy as np

from summarizer.fuse.redundancy import NEAR_COSINE, overlap, same_claim_pairs


def test_transliterations_of_a_name_count_as_one_word():
    a, b = frozenset({"hundr", "fighter", "head", "panjshir"}), frozenset({"hundr", "mujahedin", "head", "panchir"})
    assert overlap(a, frozenset({"panjshir"}), b, frozenset({"panchir"})) == 3 / 4
    assert overlap(a, frozenset(), b, frozenset()) == 2 / 4  # not names: spelled differently, different words
    kabul, kunduz = frozenset({"taliban", "took", "kabul"}), frozenset({"taliban", "took", "kunduz"})
    assert overlap(kabul, frozenset({"kabul"}), kunduz, frozenset({"kunduz"})) == 2 / 3


def _vectors(cosine):
    """Three unit rows: 0 and 1 at ``cosine``, 2 orthogonal to both."""
    return np.array([[1.0, 0.0, 0.0], [cosine, np.sqrt(1 - cosine**2), 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)


def test_a_near_pair_with_the_same_words_is_the_same_claim():
    words = [frozenset({"hundr", "head", "valley"}), frozenset({"hundr", "head", "valley", "twitter"}), frozenset({"hundr", "head", "valley"})]
    none = [frozenset()] * 3
    first, second = same_claim_pairs(words, none, _vectors(0.64), 0.7)
    assert list(zip(first.tolist(), second.tolist())) == [(0, 1)]  # 2 shares the words but not the topic
    assert len(same_claim_pairs(words, none, _vectors(NEAR_COSINE - 0.05), 0.7)[0]) == 0
    assert len(same_claim_pairs(words, none, _vectors(0.8), 0.7)[0]) == 0  # at the threshold already


def test_a_near_pair_with_other_words_stays_two_claims():
    words = [frozenset({"taliban", "enter", "kabul", "palac"}), frozenset({"taliban", "airport", "crush", "die"}), frozenset()]
    assert len(same_claim_pairs(words, [frozenset()] * 3, _vectors(0.64), 0.7)[0]) == 0
