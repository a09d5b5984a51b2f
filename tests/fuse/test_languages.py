"""Figures in other scripts and conventions, and conflicts in French, Arabic and Hindi.

Hand-written sentences, one per convention: the digits of each script, the thousands and
decimal marks of each language, its scale words, and the words that tell what is counted.
Conflicts use the same stand-in embedder as tests/fuse/test_conflicts.py (every context vector
identical), so only the rules decide.
"""

import numpy as np
import pytest

from summarizer.config import ConflictSettings
from summarizer.fuse.conflicts import conflicts_supported, contradicts, figure_mentions, find_conflicts
from summarizer.fuse.hallucination import check
from summarizer.fuse.quantities import extract_quantities, numbers_in
from summarizer.records import Article


def _read(sentence: str, language: str) -> list[tuple[float, float, str]]:
    return [(q.low, q.high, q.head) for q in extract_quantities(sentence, language)]


@pytest.mark.parametrize(
    "language, sentence, expected",
    [
        # Latin digits, French conventions: narrow no-break, no-break, plain space and dot thousands
        ("fr", "Au moins 25\u202f100 personnes ont été évacuées.", [(25100, 25100, "people")]),
        ("fr", "Environ 25\u00a0100 personnes ont été évacuées.", [(25100, 25100, "people")]),
        ("fr", "Environ 25 100 personnes ont été évacuées.", [(25100, 25100, "people")]),
        ("fr", "Selon l'Otan, 25.100 personnes ont été évacuées.", [(25100, 25100, "people")]),
        ("fr", "La crise touche 1,5 million de personnes.", [(1.5e6, 1.5e6, "people")]),
        ("fr", "Le pont a coûté 1,5 millions d'euros.", [(1.5e6, 1.5e6, "eur")]),
        ("fr", "Le chômage atteint 7,5 % de la population.", [(7.5, 7.5, "percent")]),
        ("fr", "Entre 10 000 et 15 000 soldats restent sur place.", [(10000, 15000, "troops")]),
        ("fr", "Sept civils ont été tués.", [(7, 7, "people")]),
        ("de", "Die Brücke kostete 25.100 Euro, nicht 1,5.", [(25100, 25100, "euro"), (1.5, 1.5, "")]),
        # Arabic-Indic digits with the Arabic thousands and decimal marks, and Latin digits in Arabic
        ("ar", "تم إجلاء ٢٥٬١٠٠ شخص من كابول.", [(25100, 25100, "people")]),
        ("ar", "أصيب نحو ١٫٥ مليون شخص بالمرض.", [(1.5e6, 1.5e6, "people")]),
        ("ar", "قتل ٢٥ ألف شخص خلال الحرب.", [(25000, 25000, "people")]),
        ("ar", "وصل عدد النازحين إلى 1,5 مليون نازح.", [(1.5e6, 1.5e6, "people")]),
        ("ar", "أجلت الطائرات 25,100 شخص.", [(25100, 25100, "people")]),
        ("ar", "ارتفعت الأسعار بنسبة ٢٠٪ هذا العام.", [(20, 20, "percent")]),
        ("ar", "ارتفعت الأسعار بنسبة 20 في المئة.", [(20, 20, "percent")]),
        # Extended Arabic-Indic digits (Persian and Urdu forms) read the same
        ("ar", "لقي ۲۰ جنديا حتفهم.", [(20, 20, "troops")]),
        # Devanagari digits, Indian grouping, lakh and crore, both spellings of the nukta
        ("hi", "हादसे में २५ लोगों की मौत हो गई।", [(25, 25, "people")]),
        ("hi", "कुल 1,50,000 यात्री फंसे हुए हैं।", [(150000, 150000, "people")]),
        ("hi", "करीब 1.5 लाख लोगों को निकाला गया।", [(150000, 150000, "people")]),
        ("hi", "इस योजना पर 5 करोड़ रुपये खर्च हुए।", [(5e7, 5e7, "inr")]),
        ("hi", "इस योजना पर 5 कर\u094b\u0921\u093c रुपये खर्च हुए।", [(5e7, 5e7, "inr")]),
        ("hi", "10 से 15 हज़ार लोग प्रभावित हुए।", [(10000, 15000, "people")]),
        ("hi", "20 से अधिक भारतीय सैनिक घायल हुए।", [(20, 20, "troops")]),
    ],
)
def test_numbers_read_in_every_script_and_convention(language, sentence, expected):
    assert _read(sentence, language) == expected


def test_the_decimal_convention_follows_the_language():
    assert _read("1,500 personnes", "fr") == [(1.5, 1.5, "people")]
    assert _read("1,500 people", "en") == [(1500, 1500, "people")]
    assert _read("1.5 personnes", "fr") == [(1.5, 1.5, "people")]  # no group of three: a decimal point


def test_the_same_figure_reads_the_same_in_each_script():
    values = {
        numbers_in(text, language).pop()
        for language, text in [
            ("en", "25,100 people"), ("fr", "25 100 personnes"), ("fr", "25.100 personnes"),
            ("ar", "٢٥٬١٠٠ شخص"), ("ar", "۲۵۱۰۰ شخص"), ("hi", "२५,१०० लोग"), ("hi", "25,100 लोग"),
        ]
    }  # fmt: skip
    assert values == {25100.0}


def test_figures_are_quoted_as_written_and_dates_read_in_each_language():
    (day,) = extract_quantities("Les talibans sont entrés à Kaboul le 15 août.", "fr")
    assert (day.head, day.low, day.text) == ("date", 815, "15 août")
    (count,) = extract_quantities("قتل ٢٥ شخصا على الأقل.", "ar")
    assert count.text == "٢٥"  # the original digits, so the HTML view can mark them in the sentence
    (least,) = extract_quantities("कम से कम 20 लोग मारे गए।", "hi")
    assert least.text == "कम से कम 20"


def test_owners_parts_and_goals_in_french_and_arabic():
    first, second = extract_quantities("Les États-Unis ont évacué 17 000 personnes, dont 2 500 Américains.", "fr")
    assert first.qualifiers == {"us"} and not first.part and second.part
    (waiting,) = extract_quantities("Quelque 10 000 Afghans attendent encore à l'aéroport.", "fr")
    assert waiting.pending and waiting.approximate
    total, part = extract_quantities("أجلت الولايات المتحدة 17 ألف شخص، بينهم 2500 أمريكي.", "ar")
    assert total.qualifiers == {"us"} and (part.part, part.head) == (True, "people")


def _conflicts(language: str, *texts: str):
    found = figure_mentions([Article("c", f"d{i}", "", text) for i, text in enumerate(texts)], language)
    return find_conflicts(found, np.ones((len(found), 1), dtype=np.float32), ConflictSettings(), language)


@pytest.mark.parametrize(
    "language, first, second, values",
    [
        ("fr", "Sept personnes sont mortes près de l'aéroport.", "Au moins 20 personnes ont été tuées près de l'aéroport.",
         [("d0", "Sept"), ("d1", "au moins 20")]),
        ("ar", "قتل ٧ أشخاص قرب المطار.", "لقي 20 شخصا مصرعهم قرب المطار.", [("d0", "٧"), ("d1", "20")]),
        ("hi", "हवाई अड्डे के पास 7 लोगों की मौत हो गई।", "हवाई अड्डे के पास कम से कम 20 लोग मारे गए।",
         [("d0", "7"), ("d1", "कम से कम 20")]),
    ],
)  # fmt: skip
def test_deaths_counted_differently_are_a_conflict(language, first, second, values):
    (conflict,) = _conflicts(language, first, second)
    assert [(v.doc_id, v.value) for v in conflict.values] == values
    assert conflict.topic.startswith("people")


@pytest.mark.parametrize(
    "language, first, second",
    [
        ("fr", "Sept personnes sont mortes.", "Environ 25 000 personnes ont été évacuées."),
        ("ar", "قتل ٧ أشخاص.", "تم إجلاء ٢٥ ألف شخص."),
        ("hi", "7 लोगों की मौत हो गई।", "25 हज़ार लोगों को निकाला गया।"),
    ],
)
def test_different_events_are_not_a_conflict(language, first, second):
    assert _conflicts(language, first, second) == []
    assert not contradicts(first, second, language)


def test_rounded_figures_agree_in_french():
    assert _conflicts("fr", "Environ 17 000 personnes ont été évacuées.", "Au total, 17 200 personnes ont été évacuées.") == []


def test_contradicts_in_arabic():
    assert contradicts("قتل ٧ أشخاص في الانفجار.", "قتل 20 شخصا في الانفجار.", "ar")


def test_a_language_without_words_has_no_conflicts_and_says_why():
    for language in ("en", "fr", "ar", "hi"):
        assert conflicts_supported(language) is None
    reason = conflicts_supported("de")
    assert "'de'" in reason and "ar, en, fr, hi" in reason
    german = ["Sieben Menschen starben.", "Mindestens 20 Menschen starben."]
    assert _conflicts("de", *german) == [] and not contradicts(*german, "de")


def test_the_hallucination_guard_reads_figures_in_the_cluster_language():
    article = "أعلنت السلطات إجلاء ٢٥٬١٠٠ شخص من كابول."
    assert check("تم إجلاء 25,100 شخص.", article, "ar") == []  # the same figure in Latin digits
    assert check("تم إجلاء 30,000 شخص.", article, "ar") == [("تم إجلاء 30,000 شخص.", ("30,000",))]
    assert check("Près de 1,5 million de personnes.", "La crise touche 1,5 million de personnes.", "fr") == []
