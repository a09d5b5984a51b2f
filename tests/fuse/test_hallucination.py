"""The hallucination guard: invented numbers and names are flagged, and kept out if configured."""

from summarizer.config import GuardSettings
from summarizer.fuse.hallucination import check, guard
from summarizer.records import Article, ArticleSummary

ARTICLE = (
    "A NATO official said at least 20 people had died in and around Kabul airport over the past week. "
    "Major General William Taylor said that about seventeen thousand people had been evacuated. "
    "Seven people were crushed at the gate, Britain's Ministry of Defence said."
)


def test_a_summary_with_an_invented_number_is_flagged():
    assert check("At least 45 people died at Kabul airport.", ARTICLE) == [("At least 45 people died at Kabul airport.", ("45",))]


def test_numbers_match_whatever_their_spelling():
    assert check("At least twenty people died. 7 people were crushed. 17,000 people had been evacuated.", ARTICLE) == []


def test_an_invented_name_is_flagged_and_a_recased_one_is_not():
    flagged = check("President Emmanuel Macron called for calm. The Kabul Airport stayed open.", ARTICLE)
    assert flagged == [("President Emmanuel Macron called for calm.", ("President Emmanuel Macron",))]


def test_flagged_sentences_leave_the_summary_unless_configured():
    article = Article("c", "d0", "", ARTICLE)
    summary = ArticleSummary("d0", "", "Seven people were crushed at the gate. Around 900 people died in Herat.")
    kept, flags = guard([summary], [article], GuardSettings())
    assert kept[0].summary == "Seven people were crushed at the gate."
    assert [(f.doc_id, f.unsupported, f.kept) for f in flags] == [("d0", ("900", "Herat"), False)]
    kept, flags = guard([summary], [article], GuardSettings(drop_flagged=False))
    assert kept == [summary] and flags[0].kept


def test_extractive_sentences_are_never_flagged():
    assert check(ARTICLE, ARTICLE) == []
