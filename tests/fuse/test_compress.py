"""Shorter forms of a sentence for the selection: each rule, and what is never cut."""

from summarizer.fuse.compress import variants


def test_an_attribution_tail_is_dropped():
    assert variants("The plan was approved on Monday, the ministry said on Tuesday.") == ["The plan was approved on Monday."]
    assert variants("The plan was approved, according to the ministry of defence.") == ["The plan was approved."]


def test_a_quote_keeps_its_speaker():
    assert variants('"We will fight to the end of the valley," the commander said on Sunday.') == []


def test_parentheticals_and_non_restrictive_clauses_are_dropped_alone_and_together():
    text = "Augusto Pinochet, who was arrested in London on Friday, faces charges of genocide (Spain says)."
    assert variants(text) == [
        "Augusto Pinochet, who was arrested in London on Friday, faces charges of genocide.",
        "Augusto Pinochet faces charges of genocide (Spain says).",
        "Augusto Pinochet faces charges of genocide.",
    ]
    assert variants("The shower, which peaks every 33 years, is caused by the comet.") == ["The shower is caused by the comet."]


def test_an_appositive_goes_only_after_a_name():
    assert variants("Ahmad Massoud, the son of the late commander, said he would resist.") == ["Ahmad Massoud said he would resist."]
    assert variants("The move, the first in years, was welcomed by the unions.") == []
    # the span opens a new clause: cutting it would glue two names together
    assert variants("One judge filed on Wednesday, the other, Manuel Garcia, filed a similar petition.") == []
    # a "whose" clause holds commas of its own: the first one is not its end
    assert variants("The front is led by Ahmad Massoud, whose father, commander Ahmad Shah Massoud, was murdered in 2001.") == []


def test_every_form_is_shorter_and_still_a_sentence():
    text = "Rescuers (mostly volunteers) pulled twelve people out, officials said."
    forms = variants(text)
    assert forms and all(len(f.split()) < len(text.split()) and f.endswith(".") and f[0].isupper() for f in forms)
