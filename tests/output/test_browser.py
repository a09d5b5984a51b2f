"""The pages in a real browser: Playwright drives Debian's chromium (launched by path, since
Playwright's own browser download is unreachable here). Set $SUMMARIZER_CHROMIUM to use another."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import sync_playwright

from summarizer.compare import compare, write_comparison
from summarizer.config import CompareSettings, validate_config
from summarizer.output.html import digest_page

from .conftest import EXAMPLE

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install it (`apt-get install -y chromium`) or set $SUMMARIZER_CHROMIUM.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class _Watched:
    """A page that records console errors, page errors and every request it makes."""

    def __init__(self, browser, width: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        return self.page

    def assert_clean(self, *pages: Path) -> None:
        """No error, and nothing requested but the pages themselves: nothing leaves the page."""
        assert self.errors == []
        assert set(self.requests) <= {p.as_uri() for p in pages}, self.requests


@pytest.fixture
def watched(browser):
    made = []

    def make(width: int = 1280) -> _Watched:
        made.append(_Watched(browser, width))
        return made[-1]

    yield make
    for w in made:
        w.page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_kabul_digest_shows_evidence_and_both_disagreements(kabul, watched, width):
    digest, folder = kabul
    view = watched(width)
    page = view.open(folder / "digest.html")
    first = digest.digest[0]
    quote = page.locator("ol.digest > li").first.locator("blockquote").first
    assert not quote.is_visible()
    page.locator("ol.digest > li").first.locator("summary").click()
    assert quote.is_visible() and quote.inner_text() == first.evidence[0].sentence

    section = page.locator("section", has=page.get_by_role("heading", name="Sources disagree", exact=True))
    assert len(digest.conflicts) == 2
    for conflict in digest.conflicts:
        assert section.get_by_role("heading", name=conflict.topic, exact=True).is_visible()
        for value in conflict.values:
            item = section.locator("ul.values > li", has_text=value.sentence)
            assert item.locator(".value").inner_text() == value.value and item.locator("mark").is_visible()

    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")  # the widest the page gets
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    view.assert_clean(folder / "digest.html")


def test_keyboard_alone_opens_evidence(kabul, watched):
    digest, folder = kabul
    page = watched().open(folder / "digest.html")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    page.keyboard.press("Enter")
    opened = page.locator("details[open]")
    assert opened.count() == 1
    assert opened.locator("blockquote").first.inner_text() == digest.digest[0].evidence[0].sentence


def test_hostile_title_shows_as_text_and_never_runs(hostile, watched, tmp_path):
    target = tmp_path / "digest.html"
    target.write_text(digest_page(hostile), encoding="utf-8")
    view = watched()
    page = view.open(target)
    title = hostile.articles[0].title
    assert page.get_by_role("heading", name=title, exact=True).inner_text() == title
    assert page.evaluate("window.pwned === undefined") and page.locator("img, script").count() == 0
    view.assert_clean(target)


def test_two_config_report_opens_and_its_links_resolve(watched, tmp_path):
    tfidf = {"fusion": {"embedder": "tfidf"}}
    configs = [
        ("lead", validate_config({"model": {"method": "lead"}, **tfidf})),
        ("extractive", validate_config({"model": {"method": "extractive"}, **tfidf})),
    ]
    paths = write_comparison(compare(EXAMPLE, configs, CompareSettings(resamples=100), progress=False), tmp_path)
    view = watched()
    page = view.open(paths["html"])
    links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    assert len(links) == 2
    targets = [Path(unquote(urlparse(link).path)) for link in links]
    for target, name in zip(targets, ("lead", "extractive")):
        assert target == tmp_path / "digests" / name / "kabul-2021" / "digest.html" and target.is_file()
        page.goto(target.as_uri())
        assert page.get_by_role("heading", level=1).inner_text() == "Digest: kabul-2021"
    view.assert_clean(paths["html"], *targets)


def test_arabic_digest_reads_right_to_left(arabic, watched, tmp_path):
    """dir="rtl" reaches the layout: text starts at the right edge, its first word rightmost, the
    quote bars on the right; the screenshot is kept beside the page for a person to look at."""
    target = tmp_path / "digest.html"
    target.write_text(digest_page(arabic), encoding="utf-8")
    view = watched(390)
    page = view.open(target)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    paragraph = page.locator("ol.digest > li p").first
    assert paragraph.inner_text() == arabic.digest[0].text
    # the first and last words of the sentence, as laid out: reading order runs right to left
    first, last, box = paragraph.evaluate(
        """p => {
            const text = p.firstChild, range = document.createRange(), words = text.data.split(' ');
            const rect = (start, end) => { range.setStart(text, start); range.setEnd(text, end); return range.getBoundingClientRect(); };
            const first = rect(0, words[0].length), last = rect(text.data.length - words.at(-1).length, text.data.length);
            const box = p.getBoundingClientRect();
            return [[first.left, first.right], [last.left, last.right], [box.left, box.right]];
        }"""
    )
    assert abs(first[1] - box[1]) < 2, (first, box)  # right-aligned: the first word touches the right edge
    assert first[0] > last[0] or first[0] > box[0] + box[1] / 2  # and the last one ends further left
    page.locator("ol.digest > li summary").first.click()
    quote = page.locator("ul.evidence blockquote").first
    assert quote.evaluate("q => [getComputedStyle(q).borderRightWidth, getComputedStyle(q).borderLeftWidth]") == ["3px", "0px"]
    figure = page.locator("ul.values > li", has_text=arabic.conflicts[0].values[0].sentence).locator("mark")
    assert figure.inner_text() == "٧" and figure.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(tmp_path / "arabic.png"), full_page=True)
    view.assert_clean(target)


def test_english_digest_stays_left_to_right(hostile, watched, tmp_path):
    target = tmp_path / "digest.html"
    target.write_text(digest_page(hostile), encoding="utf-8")
    page = watched().open(target)
    assert page.evaluate("[document.documentElement.lang, getComputedStyle(document.documentElement).direction]") == ["en", "ltr"]
    assert page.locator("blockquote").first.evaluate("q => getComputedStyle(q).borderLeftWidth") == "3px"
