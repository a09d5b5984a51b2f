"""The HTML renderer without a browser: structure, escaping, self-containment, headings in order."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

from summarizer.output.files import render_markdown
from summarizer.output.html import digest_page, index_page, render_digest

from .conftest import HOSTILE


class _Outline(HTMLParser):
    """Collects heading levels, tags and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.loads: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "html":
            self.lang = values.get("lang")
        self.loads += [value or "" for name, value in attrs if name in ("src", "srcset") or name.startswith("on")]


def _outline(text: str) -> _Outline:
    parser = _Outline()
    parser.feed(text)
    return parser


def test_page_is_self_contained_with_language_and_headings_in_order(hostile):
    page = digest_page(hostile)
    outline = _outline(page)
    assert outline.lang == "en"
    assert outline.headings[0] == 1 and all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:]))
    assert "script" not in outline.tags and "img" not in outline.tags and outline.loads == []
    assert not re.search(r"url\(|@import|https?://", page)  # nothing fetched: no font, image or sheet
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page and "@media print" in page


def test_hostile_strings_are_escaped_everywhere(hostile):
    page = digest_page(hostile)
    escaped = "&lt;script&gt;window.pwned = 1&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;window.pwned = 2&quot;&gt;"
    # the sentence, its evidence, a's title (evidence, conflict, article heading), summary and note
    assert page.count(escaped) == 7
    assert HOSTILE not in page


def test_each_sentence_opens_onto_its_evidence_and_each_conflict_marks_its_figures(hostile):
    page = render_digest(hostile)
    assert "<details><summary>Backed by 2 articles: a, b</summary>" in page
    assert "similarity 0.80<blockquote>Crowds kept growing at the gate.</blockquote>" in page
    assert "<mark>Seven</mark> people were killed." in page and "<mark>At least 20</mark> people died." in page
    assert '<span class="value">at least 20</span> in <code>b</code> <cite>Plain title</cite>' in page
    assert "<strong>Timings:</strong> fuse_s 0.25 s" in page and "model.method=extractive" in page


def test_fallback_note_is_labelled_as_such(hostile):
    fallback = dataclasses.replace(hostile, fallback={"from": "x", "to": "extractive", "reason": "r"})
    assert '<p class="note fallback" role="note"><strong>Fallback:</strong> Note ' in render_digest(fallback)
    assert '<p class="note" role="note"><strong>Note:</strong> Note ' in render_digest(hostile)


def test_fragment_headings_start_at_the_level_asked_for(hostile):
    levels = _outline(render_digest(hostile, level=3, flags=[("Seven",)])).headings
    assert levels[0] == 3 and min(levels) == 3 and max(levels) == 5
    assert '<span class="flag">[not in the cited articles: Seven]</span>' in render_digest(hostile, flags=[("Seven",)])


def test_index_links_every_cluster_folder_percent_encoded(hostile):
    other = dataclasses.replace(hostile, cluster_id="kābul 2021")
    page = index_page([hostile, other])
    assert 'href="hostile/digest.html"' in page and 'href="k%C4%81bul_2021/digest.html"' in page  # the folder run writes
    assert "<h1>Digests of 2 clusters</h1>" in page and page.count("1 sentence · 1 disagreement</span>") == 2
    assert '<a href="../index.html">All clusters</a>' in digest_page(hostile, back="../index.html")


def test_counts_of_one_are_singular_in_the_page_and_the_markdown(hostile):
    from summarizer.output import render_markdown

    single = dataclasses.replace(hostile, articles=hostile.articles[:1])
    words = len(hostile.digest[0].text.split())
    for text in (render_digest(single), render_markdown(single)):
        assert "1 article · " in text and f"1 sentence, {words} words" in text
    assert "2 articles · " in render_digest(hostile)


def test_a_digest_carries_its_language_and_direction(hostile, arabic):
    assert digest_page(arabic).startswith('<!doctype html>\n<html lang="ar" dir="rtl">')
    assert digest_page(hostile).startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    # the fragment keeps its direction inside a page in another language (compare's report)
    assert render_digest(arabic).startswith('<article class="sdigest" lang="ar" dir="rtl">')
    assert 'hreflang="ar"' in index_page([arabic]) and 'hreflang="en"' in index_page([hostile])
    for language in ("he", "fa", "ur"):
        assert f'lang="{language}" dir="rtl"' in digest_page(dataclasses.replace(arabic, language=language))


def test_markdown_and_json_carry_the_language(arabic):
    assert render_markdown(arabic).splitlines()[2].endswith("· language: ar")
    assert arabic.to_json()["language"] == "ar"
