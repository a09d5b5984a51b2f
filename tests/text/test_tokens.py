"""Word tokens, stems and stop words in several scripts: one answer for every stage."""

import pytest

from summarizer.compare.metrics import RougeTokens, ngrams
from summarizer.fuse.select import concepts
from summarizer.text import has_stemmer, stem, stop_words, words

ARABIC = "قتل ٢٥ شخصاً في انفجار سيارة مفخخة في بغداد."
HINDI = "हिन्दी समाचार के अनुसार भारत में 25 लोग घायल हुए।"


def test_english_words_are_the_ascii_letter_and_digit_runs():
    assert words("The U.S. sent 5,000 troops, it said.") == ["the", "u", "s", "sent", "5", "000", "troops", "it", "said"]


def test_devanagari_words_keep_their_vowel_signs_and_virama():
    # Python's \w would cut "हिन्दी" at the virama and the vowel signs (combining marks)
    assert words(HINDI, "hi") == ["हिन्दी", "समाचार", "के", "अनुसार", "भारत", "में", "25", "लोग", "घायल", "हुए"]


def test_arabic_words_and_arabic_indic_digits():
    assert words(ARABIC, "ar") == ["قتل", "٢٥", "شخصاً", "في", "انفجار", "سيارة", "مفخخة", "في", "بغداد"]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Η Αθήνα είναι πρωτεύουσα.", "el", ["η", "αθήνα", "είναι", "πρωτεύουσα"]),
        ("Москва — столица России.", "ru", ["москва", "столица", "россии"]),
        ("ירושלים היא עיר.", "he", ["ירושלים", "היא", "עיר"]),
        ("北京时间2021年", "zh", ["北", "京", "时", "间", "2021", "年"]),
    ],
)
def test_other_scripts(text, language, expected):
    assert words(text, language) == expected


def test_stemmers_where_snowball_has_the_language_and_none_elsewhere():
    assert stem("running") == "run"  # Porter, as ROUGE-1.5.5 and the concepts always used
    assert stem("المسلمين", "ar") == "مسلم"
    assert stem("लड़कियों", "hi") == "लड़क"
    assert stem("nationales", "fr") == "national"
    assert has_stemmer("ar") and has_stemmer("hi") and not has_stemmer("he")
    assert stem("ירושלים", "he") == "ירושלים"


def test_stop_words_per_language():
    assert "the" in stop_words("en") and "في" in stop_words("ar") and "के" in stop_words("hi") and "les" in stop_words("fr")
    assert stop_words("xx") == frozenset()


def test_selection_and_compare_read_the_same_words_in_arabic_and_hindi():
    for text, language in ((ARABIC, "ar"), (HINDI, "hi")):
        tokens = words(text, language)
        stops = stop_words(language)
        pairs = {(stem(a, language), stem(b, language)) for a, b in zip(tokens, tokens[1:]) if not (a in stops and b in stops)}
        assert concepts(text, language) == pairs and pairs
        assert RougeTokens(language).tokenize(text) == tokens  # ROUGE: the same words, unstemmed outside English
        assert {gram for (gram,) in ngrams(text, 1, language)} == set(tokens)
