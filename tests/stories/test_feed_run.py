"""``run FEED --stories`` end to end: the folders, ``stories.json``, and the index in a real browser."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner

from summarizer.cli import main

from ..shared_data import needs_shared_data

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def feed_run(feed, tmp_path_factory) -> Path:
    """The CLI over the mixed feed as one JSONL of articles (some carrying a cluster_id, ignored)."""
    articles, _ = feed
    folder = tmp_path_factory.mktemp("feed")
    source = folder / "feed.jsonl"
    source.write_text("".join(
        json.dumps({"doc_id": a.doc_id, "title": a.title, "text": a.text, **({"cluster_id": "given"} if i % 2 else {})}, ensure_ascii=False) + "\n"
        for i, a in enumerate(articles)), encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["run", str(source), "--stories", "-c", "lead", "--set", "data.language=null", "--set", "fusion.embedder=tfidf", "--no-cache", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@needs_shared_data
def test_stories_json_and_one_folder_per_story(feed, feed_run):
    articles, _ = feed
    stories = json.loads((feed_run / "stories.json").read_text())["stories"]
    assert sorted(d for s in stories for d in s["doc_ids"]) == sorted(a.doc_id for a in articles)
    assert [s["size"] for s in stories] == sorted((s["size"] for s in stories), reverse=True)
    for story in stories:
        assert set(story) == {"id", "title", "doc_ids", "size"} and story["size"] == len(story["doc_ids"])
        digest = json.loads((feed_run / story["id"] / "digest.json").read_text())
        assert digest["cluster_id"] == story["id"] and [a["doc_id"] for a in digest["articles"]] == story["doc_ids"]
        if story["size"] == 1:
            assert any("single article" in note for note in digest["notes"])
    assert (feed_run / ".stories" / "assignments.json").is_file()


@needs_shared_data
def test_index_lists_stories_by_size_and_links_each_digest(feed_run):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install it (`apt-get install -y chromium`) or set $SUMMARIZER_CHROMIUM.")
    stories = json.loads((feed_run / "stories.json").read_text())["stories"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((feed_run / "index.html").as_uri())
        items = page.locator("li.story")
        assert items.count() == len(stories)
        assert [int(s) for s in items.evaluate_all("els => els.map(e => e.dataset.size)")] == [s["size"] for s in stories]
        several = sum(s["size"] > 1 for s in stories)
        assert page.get_by_role("heading", name=f"Stories of several articles ({several})").is_visible()
        if several < len(stories):
            assert page.get_by_role("heading", name=f"Single articles ({len(stories) - several})").is_visible()
        first = items.first.locator("a")
        assert first.inner_text() == stories[0]["title"]
        target = Path(unquote(urlparse(first.evaluate("a => a.href")).path))
        assert target == feed_run / stories[0]["id"] / "digest.html"
        first.click()
        assert page.get_by_role("heading", level=1).inner_text() == f"Digest: {stories[0]['id']}"
        page.get_by_role("link", name="All clusters").click()
        assert page.url == (feed_run / "index.html").as_uri() and errors == []
        browser.close()
