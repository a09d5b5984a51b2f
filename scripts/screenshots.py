"""Screenshots of the example digest page for the README: docs/digest-1280.png and docs/digest-390.png.

Digests ``examples/kabul-2021`` with the ``extractive`` config (as ``make example`` does), opens
``digest.html`` in the system chromium at a laptop and a phone width, opens the first sentence's
evidence and saves what the window shows. Run: ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.config import load_config  # noqa: E402
from summarizer.pipeline import run  # noqa: E402

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
#: window sizes in CSS pixels: a laptop, and a phone (iPhone 12-15 width)
SIZES = {1280: 900, 390: 844}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        run(ROOT / "examples" / "kabul-2021", load_config("extractive", ["cache.enabled=false"]), output=folder, progress=False)
        page_url = (Path(folder) / "digest.html").as_uri()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width, height in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_url)
                page.locator("ol.digest summary").first.click()
                target = ROOT / "docs" / f"digest-{width}.png"
                target.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(target))
                print(f"wrote {target.relative_to(ROOT)}")
            browser.close()


if __name__ == "__main__":
    main()
