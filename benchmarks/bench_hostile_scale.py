"""Hostile scale: a 300-article cluster and a 200,000-word article, with and without figures.

The tests in ``tests/test_hostile_input.py`` use figure-free synthetic text to stay fast; this
script times the same shapes with a number in every sentence, which exercises the figure
extraction of fusion, conflict search and the hallucination guard (once 147 s for 300 articles
and 441 s for 200k words; 1.2 s and 5.6 s since extraction is memoised per sentence). Runs the
lead (300 articles) and LexRank (200k words) summarizers with TF-IDF embeddings, so no model
loads.

Then one paragraph without any sentence punctuation (a scraped table, a transcript) at 1x, 2x
and 4x ``--flat-words`` with ``data.max_article_words`` off, timed side by side and printed as
ratios to the smallest: about 2 and 4 show time linear in size (pysbd alone on one paragraph
is worse than linear, which is why the data stage cuts paragraphs into bounded pieces).

    python benchmarks/bench_hostile_scale.py [--articles 300] [--words 200000] [--flat-words 25000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from summarizer import load_config, run

PLACES = ["Ismailia", "Suez", "Port Said", "Cairo", "Alexandria", "Aden", "Kabul", "Herat", "Mazar", "Kandahar"]
CREWS = ["pilots", "engineers", "sailors", "dockers", "clerks", "drivers", "medics"]


def many_articles(folder: Path, count: int, figures: bool) -> Path:
    shared = "The Ever Given container ship was freed from the Suez Canal on Monday after six days."
    for n in range(count):
        detail = f"counted {n + 3} tugboats and {n * 7} dredgers" if figures else f"spoke to {CREWS[n % 7]} at the {PLACES[n // 10 % 10]} office"
        (folder / f"{n:03d}.txt").write_text(f"Report\n\n{shared} A reporter in {PLACES[n % 10]} {detail}.", encoding="utf-8")
    return folder


def huge_article(folder: Path, words: int, figures: bool) -> Path:
    sentences, total, i = [], 0, 0
    while total < words:
        where = f"checkpoint {i % 97} on day {i % 30}" if figures else f"the {PLACES[i // 10 % 10]} checkpoint on a quiet day"
        sentence = f"Report {PLACES[i % 10]} says the convoy of {CREWS[i % 7]} reached {where} before noon."
        sentences.append(sentence)
        total += len(sentence.split())
        i += 1
    paragraphs = [" ".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5)]
    (folder / "huge.txt").write_text("A very long file\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return folder


def flat_article(folder: Path, words: int) -> Path:
    """One unpunctuated paragraph of ``words`` words (no figures: see the conflict search note)."""
    text = " ".join(f"{CREWS[i % 7]} {PLACES[i % 10]}" for i in range(words // 2))
    (folder / "flat.txt").write_text("A scraped table\n\n" + text, encoding="utf-8")
    return folder


def timed(label: str, folder: Path, config: str, overrides: tuple[str, ...] = ()) -> float:
    start = time.perf_counter()
    digest = run(folder, load_config(config, ["fusion.embedder=tfidf", *overrides]), progress=False)[0]
    seconds = time.perf_counter() - start
    print(f"{label:<42} {seconds:8.1f} s  ({len(digest.articles)} articles, {len(digest.digest)} digest sentences)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--flat-words", type=int, default=25_000)
    args = parser.parse_args()
    flat = {}
    for factor in (0.25, 1, 2, 4):  # the first, smaller run pays one-time set-up (a new text: splits are memoised per text)
        with tempfile.TemporaryDirectory() as folder:
            words = int(factor * args.flat_words)
            flat[factor] = timed(f"{words}-word flat paragraph, lead", flat_article(Path(folder), words), "lead", ("data.max_article_words=null",))
    print("flat paragraph, time relative to 1x (linear: 2x -> 2, 4x -> 4): " + ", ".join(f"{f}x {flat[f] / flat[1]:.2f}" for f in (2, 4)))
    for figures in (False, True):
        kind = "with figures" if figures else "no figures"
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            timed(f"{args.articles} articles, lead, {kind}", many_articles(Path(a), args.articles, figures), "lead")
            timed(f"{args.words}-word article, extractive, {kind}", huge_article(Path(b), args.words, figures), "extractive")


if __name__ == "__main__":
    main()
