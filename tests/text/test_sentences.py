"""The one sentence splitter, in every script: exact splits on hand-written paragraphs."""

import pytest

from summarizer.text import is_statement, split_sentences


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Ms. Smith left. Dr. Jones stayed.", "en", ["Ms. Smith left.", "Dr. Jones stayed."]),
        ("Sen. Graham, R-S.C., objected. The vote failed.", "en", ["Sen. Graham, R-S.C., objected.", "The vote failed."]),
        ("Rep. Nita Lowey, D-N.Y., agreed. Others did not.", "en", ["Rep. Nita Lowey, D-N.Y., agreed.", "Others did not."]),
        ("The U.S. sent 1.5 million doses. Gen. Miller said so.", "en", ["The U.S. sent 1.5 million doses.", "Gen. Miller said so."]),
        ("Le Dr. Bernard a soigné M. Petit. Tout va bien.", "fr", ["Le Dr. Bernard a soigné M. Petit.", "Tout va bien."]),
        ("Mme Dupont est arrivée. M. Dupont repart demain.", "fr", ["Mme Dupont est arrivée.", "M. Dupont repart demain."]),
        # pysbd cut Arabic at its comma "،"
        ("هل وصل الوفد؟ نعم، وصل صباح اليوم. وقال الوزير إن المحادثات ستبدأ غدا!", "ar",
         ["هل وصل الوفد؟", "نعم، وصل صباح اليوم.", "وقال الوزير إن المحادثات ستبدأ غدا!"]),
        ("क्या वह आया? हाँ, वह आज सुबह आया। मंत्री ने कहा॥ अगला वाक्य।", "hi", ["क्या वह आया?", "हाँ, वह आज सुबह आया।", "मंत्री ने कहा॥", "अगला वाक्य।"]),
        ("北京今天下雨。明天会晴吗？", "zh", ["北京今天下雨。", "明天会晴吗？"]),
    ],
)
def test_splits(text, language, expected):
    assert split_sentences(text, language) == expected


def test_a_stray_closing_quote_joins_the_sentence_before():
    assert split_sentences('He said: "We leave now." " Then silence.', "en")[0].startswith('He said: "We leave now."')


def test_headings_and_captions_stay_apart_from_the_next_sentence():
    assert split_sentences("Kabul falls\n\nThe Taliban entered the city. Crowds fled.") == ["Kabul falls", "The Taliban entered the city.", "Crowds fled."]


def test_long_unpunctuated_text_loses_no_word():
    text = " ".join(f"word{i}" for i in range(10_000))
    assert " ".join(split_sentences(text)).split() == text.split()


def test_hostile_input():
    assert split_sentences("") == [] and split_sentences("  \n\n ") == []
    assert "".join(split_sentences("x" * 50_000)) == "x" * 50_000
    assert split_sentences("Great news 🎉. Next one 👍 is here!") == ["Great news 🎉.", "Next one 👍 is here!"]
    assert split_sentences("Hello there. World is big.", "tlh") == ["Hello there.", "World is big."]  # a language it lacks


def test_statements_end_in_each_scripts_full_stop_and_are_not_questions():
    assert is_statement("हाँ, वह आज सुबह आया और चला गया।", 4)
    assert is_statement("北京 今天 下雨 了 。", 4)
    assert not is_statement("هل وصل الوفد إلى المدينة اليوم؟", 4)
    assert not is_statement("Will the Taliban hold the city?", 4)
