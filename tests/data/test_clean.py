"""Text repair and boilerplate removal, on hand-made lines and on the real Kabul articles."""

import pytest

from summarizer.data.clean import clean_text, is_boilerplate
from tests.shared_data import KABUL, needs_shared_data



def test_mojibake_is_repaired():
    assert clean_text("KABUL, Afghanistan â€“ At least seven") == "KABUL, Afghanistan – At least seven"


@pytest.mark.parametrize(
    "line",
    [
        "Related Topics",
        "Source link",
        "  • War in Afghanistan (2001-present)",
        "  • PROFILE: Who are the Taliban?",
        "image sourceGetty Imagesimage captionQueues have been forming at passport offices in Kabul",
        'media captionKabul MP: "Some people are running"',
        "Ahmed Masood, son of the resistance hero [File: Mohammad Ismail/Reuters]",
        "REUTERS/MOHAMMAS ISMAIL - Ahmad Massoud speaks to supporters",
    ],
)
def test_furniture_lines_are_boilerplate(line):
    assert is_boilerplate(" ".join(line.split()))


@pytest.mark.parametrize(
    "line",
    [
        "The Taliban entered Kabul on 15 August without meeting resistance.",
        "- The US deployed 5,000 troops to evacuate its staff and the Afghans who helped it, officials said.",
        "Source of the figures was the White House.",
    ],
)
def test_article_sentences_are_kept(line):
    assert not is_boilerplate(line)


def test_paragraphs_survive_and_whitespace_is_folded():
    text = "First   para line.\n\n\n\nSecond\tpara.\nSource link\n"
    assert clean_text(text) == "First para line.\n\nSecond para."


@needs_shared_data
def test_real_articles_lose_their_furniture_and_keep_their_body():
    texts = {p.name: clean_text(p.read_text(encoding="utf-8")) for p in sorted(KABUL.glob("*.txt"))}
    assert len(texts) == 5
    joined = "\n".join(texts.values())
    for furniture in ("â€", "Related Topics", "Source link", "image caption", "[File:", "REUTERS/"):
        assert furniture not in joined
    assert "KABUL, Afghanistan – At least seven Afghans have died" in joined
    assert "Taliban fighters have entered Afghanistan's capital Kabul" in joined
