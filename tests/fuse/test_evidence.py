"""Evidence a reader can check: footnotes in digest.md, conflicts in both files, the HTML view,
and fusion not crediting an article that gives a different figure for the claim."""

import json

import numpy as np

from summarizer.config import FusionSettings
from summarizer.fuse.merge import Candidate, fuse
from summarizer.output.files import render_markdown
from summarizer.output.html import render_digest
from summarizer.records import (
    ArticleSummary,
    Conflict,
    ConflictValue,
    Digest,
    DigestSentence,
    Evidence,
    Hallucination,
)


def _digest() -> Digest:
    sentence = DigestSentence(
        text="Around 25,100 people have been evacuated.",
        sources=("a", "b"),
        doc_id="a",
        evidence=(Evidence("a", "Around 25,100 people have been evacuated.", 1.0), Evidence("b", "Some 25,100 were flown out <fast>.", 0.8123)),
    )
    conflict = Conflict("people: evacuated", (ConflictValue("around 25,100", "a", "Around 25,100 people have been evacuated."), ConflictValue("17,000", "c", "17,000 people were evacuated.")))
    return Digest(
        cluster_id="k",
        config={},
        model="m",
        method="extractive",
        articles=[ArticleSummary(d, "", "") for d in "abc"],
        digest=[sentence],
        timings={},
        conflicts=[conflict],
        hallucinations=[Hallucination("c", "Around 900 people died.", ("900",), kept=False)],
    )


def test_markdown_has_a_footnote_per_sentence_with_every_source():
    markdown = render_markdown(_digest())
    assert "1. Around 25,100 people have been evacuated.[^1] — *2 articles: a, b*" in markdown
    assert '[^1]: `a` (1.00): "Around 25,100 people have been evacuated."' in markdown
    assert '\n    `b` (0.81): "Some 25,100 were flown out <fast>."' in markdown


def test_markdown_has_a_sources_disagree_section_with_sentences():
    markdown = render_markdown(_digest())
    assert "## Sources disagree" in markdown
    assert "- *people: evacuated*: **around 25,100** (`a`) · **17,000** (`c`)" in markdown
    assert '    - `c`: "17,000 people were evacuated."' in markdown
    assert "## Flagged summary sentences" in markdown and "not in the article: 900" in markdown


def test_json_reports_conflicts_and_hallucination_count():
    document = json.loads(json.dumps(_digest().to_json()))
    assert document["conflicts"] == [
        {"topic": "people: evacuated", "values": [
            {"value": "around 25,100", "doc_id": "a", "sentence": "Around 25,100 people have been evacuated."},
            {"value": "17,000", "doc_id": "c", "sentence": "17,000 people were evacuated."},
        ]}
    ]
    assert document["hallucinations"]["flagged"] == 1
    assert document["digest"][0]["support"] == 2 and document["digest"][0]["evidence"][1]["score"] == 0.8123


def test_html_view_shows_evidence_on_click_escaped():
    html = render_digest(_digest())
    assert "<details><summary>Backed by 2 articles: a, b</summary>" in html and "similarity 0.81" in html
    assert "&lt;fast&gt;" in html and "<fast>" not in html
    assert "<h2>Sources disagree</h2>" in html and "<mark>17,000</mark> people were evacuated." in html


def test_an_article_with_a_different_figure_does_not_back_the_claim():
    # three articles whose sentences are "the same" by embedding; c's summary did not pick its
    # sentence, which gives another total: evidence on topic alone must not make c a source
    summaries = [
        Candidate("Around 25,100 people have been evacuated from Kabul.", "a", 0, 0),
        Candidate("Some 25,100 people have been evacuated from Kabul so far.", "b", 1, 0),
    ]
    corpus = summaries + [Candidate("The United States has evacuated 17,000 people from Kabul.", "c", 2, 0)]
    vectors = np.ones((3, 2), dtype=np.float32) / np.sqrt(2)
    (sentence,) = fuse(summaries, vectors[:2], FusionSettings(), 0.7, corpus, vectors)
    assert sentence.sources == ("a", "b")
    assert [e.doc_id for e in sentence.evidence] == ["a", "b"]


def test_group_members_stay_sources_even_when_their_figures_differ():
    # grouped summary sentences are one claim: every article of the group is kept as a source
    # (issue 2); the differing figure is reported under "Sources disagree" instead
    cands = [
        Candidate("Around 25,100 people have been evacuated from Kabul.", "a", 0, 0),
        Candidate("The United States has evacuated 17,000 people from Kabul.", "c", 1, 0),
    ]
    vectors = np.ones((2, 2), dtype=np.float32) / np.sqrt(2)
    (sentence,) = fuse(cands, vectors, FusionSettings(), 0.7, cands, vectors)
    assert sentence.sources == ("a", "c")
