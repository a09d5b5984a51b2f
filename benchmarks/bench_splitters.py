"""Sentence splitters side by side: agreement with pysbd's splits, speed, other languages.

Every candidate gets the same input: article text as the pipeline loads it
(:func:`summarizer.data.load_articles`, language check off), cut into paragraphs by
:func:`summarizer.text.sentences.paragraphs` (the step kept in front of any splitter), and
split one paragraph at a time. Printed, in one run:

1. English agreement with pysbd's splits (the project's splitter before sentencex) on MultiLing 2011
   en, DUC 2003 task 2 and both Kabul folders: sentence-boundary precision, recall and F1
   (a boundary is a sentence start inside a paragraph, as a character offset in the
   whitespace-normalised paragraph), and the share of documents split identically; then some
   disagreements to judge by eye (MultiLing and Kabul only unless ``--duc-examples``: DUC text
   must not leave this machine's terminal).
2. Speed: the fastest of ``--repeats`` passes over all those documents, as a ratio to pysbd,
   and one 10,000-word article built from MultiLing articles, as one paragraph with its
   punctuation and with its punctuation removed (no cap), to tell which splitter needs the
   500-word paragraph cap.
3. French, Arabic and Hindi MultiLing: sentences per document, sentences over 80 words (the
   symptom of a missed split), and splits at Arabic ``؟`` ``.`` and Hindi ``।`` ``॥`` ``?`` on
   hand-written lines; a few printed examples.
4. Hand-written English and French abbreviation and quote cases with known splits, and
   hostile input (empty, blanks, 50,000 characters without a space, emoji) that must not crash.

    PYTHONPATH=. python benchmarks/bench_splitters.py [--repeats 3] [--examples 4] [--duc-examples]
"""

from __future__ import annotations

import argparse
import collections
import logging
import string
import time
from collections.abc import Callable
from pathlib import Path

import blingfire
import nupunkt
import pysbd
import sentencex

from summarizer.config import DataSettings
from summarizer.data import load_articles
from summarizer.text.sentences import _split_paragraph, paragraphs

DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else Path("../shared/data")
ENGLISH = {
    "multiling-en": DATA / "multiling2011-en/clusters.jsonl",
    "duc2003": DATA / "duc2003-task2/clusters.jsonl",
    "kabul-shared": DATA / "kabul-2021",
    "kabul-examples": Path("examples/kabul-2021"),
}
OTHER = {lang: DATA / f"multiling2011-{lang}/clusters.jsonl" for lang in ("fr", "ar", "hi")}
LONG_SENTENCE_WORDS = 80

Splitter = Callable[[str, str], list[str]]


def _pysbd(paragraph: str, language: str) -> list[str]:
    return _pysbd_segmenter(language).segment(paragraph)


_SEGMENTERS: dict[str, pysbd.Segmenter] = {}


def _pysbd_segmenter(language: str) -> pysbd.Segmenter:
    """One segmenter per language, configured as the project used pysbd before sentencex."""
    if language not in _SEGMENTERS:
        _SEGMENTERS[language] = pysbd.Segmenter(language=language, clean=False)
    return _SEGMENTERS[language]


def _sentencex(paragraph: str, language: str) -> list[str]:
    return sentencex.segment(language, paragraph)


#: Sentence ends that sentencex 1.0.32 finds where news text has none: after a title before a
#: name ("Ms." is missing from its English list, "M.", "Mme.", "Dr." from its French one) and
#: inside a party-and-state tag ("Rep. Nita Lowey, D-N.Y.," cut after "D-N.").


def _sentencex_glued(paragraph: str, language: str) -> list[str]:
    """The shipped splitter: sentencex with titles and party-state tags glued back
    (:mod:`summarizer.text.sentences`), one paragraph, not memoised."""
    return _split_paragraph(paragraph, language)


def _blingfire(paragraph: str, language: str) -> list[str]:
    """Slices of the input at blingfire's offsets (its plain output may rewrite characters)."""
    _, offsets = blingfire.text_to_sentences_and_offsets(paragraph)
    return [paragraph[start:end] for start, end in offsets]


def _nupunkt(paragraph: str, language: str) -> list[str]:
    return nupunkt.sent_tokenize(paragraph)


CANDIDATES: dict[str, Splitter] = {
    "pysbd 0.3.4": _pysbd,
    "sentencex 1.0.32": _sentencex,
    "sentencex+glue": _sentencex_glued,
    "blingfire 0.1.8": _blingfire,
    "nupunkt 0.8.0": _nupunkt,
}
REFERENCE = "pysbd 0.3.4"


def split(splitter: Splitter, text: str, language: str) -> list[list[str]]:
    """Sentences of each paragraph of ``text``, stripped, empties dropped."""
    return [[s.strip() for s in splitter(p, language) if s.strip()] for p in paragraphs(text)]


def boundaries(sentences: list[str]) -> set[int]:
    """Sentence starts after the first, counted in non-blank characters (robust to how a
    splitter handles spaces; equal to offsets in the whitespace-normalised paragraph up to the
    spaces before them)."""
    starts, seen = set(), 0
    for sentence in sentences[:-1]:
        seen += len("".join(sentence.split()))
        starts.add(seen)
    return starts


def keeps_text(paragraph: str, sentences: list[str]) -> bool:
    """Whether the sentences hold exactly the paragraph's characters, blanks aside."""
    return "".join(paragraph.split()) == "".join("".join(sentences).split())


def load(source: Path) -> list[tuple[str, str]]:
    """(doc_id, text) of every article, as the pipeline would see it."""
    rows = load_articles(str(source), DataSettings(language=None))
    return list(zip(rows["doc_id"], rows["text"]))


def fastest(step: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def context(paragraph: str, offset: int, width: int = 70) -> str:
    """The paragraph around non-blank offset ``offset``, the boundary marked ``‖``."""
    count = 0
    for index, char in enumerate(paragraph):
        if count == offset and not char.isspace():
            break
        count += not char.isspace()
    else:
        index = len(paragraph)
    left = paragraph[max(0, index - width) : index].rstrip()
    return f"…{left} ‖ {paragraph[index : index + width]}…"


def left_word(paragraph: str, offset: int) -> str:
    """The word just before a boundary, to tally what a disagreement is about."""
    marked = context(paragraph, offset, width=40)
    words = marked.split("‖")[0].split()
    return words[-1] if words else ""


def english_agreement(corpora: dict[str, list[tuple[str, str]]], examples: int, duc_examples: bool) -> None:
    print("\n## 1. English: agreement with pysbd's splits\n")
    reference: dict[tuple[str, str], list[list[str]]] = {}
    for name, documents in corpora.items():
        for doc_id, text in documents:
            ref = split(_pysbd, text, "en")
            reference[(name, doc_id)] = ref
    print(f"{'candidate':18} {'corpus':15} {'docs':>5} {'ref bounds':>10} {'P':>6} {'R':>6} {'F1':>6} {'same doc':>8} {'text kept':>9}")
    disagreements: dict[str, list[tuple[str, str, str, int]]] = collections.defaultdict(list)
    for cand, splitter in CANDIDATES.items():
        if cand == REFERENCE:
            continue
        totals = [0, 0, 0, 0, 0, 0]  # tp, fp, fn, same docs, docs, paragraphs altered
        for name, documents in corpora.items():
            tp = fp = fn = same = altered = 0
            for doc_id, text in documents:
                ref = reference[(name, doc_id)]
                got = split(splitter, text, "en")
                identical = True
                for paragraph, r, g in zip(paragraphs(text), ref, got):
                    rb, gb = boundaries(r), boundaries(g)
                    altered += not keeps_text(paragraph, g)
                    tp, fp, fn = tp + len(rb & gb), fp + len(gb - rb), fn + len(rb - gb)
                    identical &= rb == gb
                    for kind, offsets in (("extra", gb - rb), ("missed", rb - gb)):
                        disagreements[cand].extend((name, kind, paragraph, o) for o in sorted(offsets))
                same += identical
            row = (tp, fp, fn, same, len(documents), altered)
            totals = [a + b for a, b in zip(totals, row)]
            print(f"{cand:18} {name:15} " + _agreement_cells(*row))
        print(f"{cand:18} {'ALL':15} " + _agreement_cells(*totals))
    print("\nWords before the disagreeing boundaries (all corpora), most common first:")
    for cand, found in disagreements.items():
        for kind in ("extra", "missed"):
            tally = collections.Counter(left_word(p, o) for _, k, p, o in found if k == kind)
            shown = ", ".join(f"{word!r}×{n}" for word, n in tally.most_common(10))
            print(f"  {cand:18} {kind:6} ({sum(tally.values())}): {shown}")
    print("\nExamples (‖ = the boundary in dispute; extra = candidate splits, pysbd does not; "
          "missed = pysbd splits, candidate does not):")
    for cand, found in disagreements.items():
        printable = [d for d in found if duc_examples or d[0] != "duc2003"]
        for kind in ("extra", "missed"):
            chosen = [d for d in printable if d[1] == kind]
            step = max(1, len(chosen) // max(1, examples))
            for name, _, paragraph, offset in chosen[::step][:examples]:
                print(f"  {cand:18} {kind:6} {name:14} {context(paragraph, offset)}")


def _agreement_cells(tp: int, fp: int, fn: int, same: int, docs: int, altered: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (f"{docs:5d} {tp + fn:10d} {precision:6.3f} {recall:6.3f} {f1:6.3f} "
            f"{same / docs:8.1%} {'all' if not altered else f'{altered} lost':>9}")


def ten_thousand_words(articles: list[tuple[str, str]]) -> str:
    """MultiLing articles concatenated to exactly 10,000 words, one paragraph."""
    words: list[str] = []
    for _, text in articles:
        words.extend(text.split())
        if len(words) >= 10_000:
            break
    return " ".join(words[:10_000])


def speed(corpora: dict[str, list[tuple[str, str]]], repeats: int) -> None:
    print(f"\n## 2. Speed (fastest of {repeats}; ratio = pysbd time / candidate time, >1 = faster)\n")
    texts = [text for documents in corpora.values() for _, text in documents]
    units = [p for text in texts for p in paragraphs(text)]
    article = ten_thousand_words(corpora["multiling-en"])
    bare = " ".join(article.translate(str.maketrans("", "", string.punctuation + "“”‘’")).split())
    half = " ".join(bare.split()[:5_000])
    capped = [" ".join(bare.split()[i : i + 500]) for i in range(0, 10_000, 500)]
    cases = {
        f"all English docs ({len(texts)} docs, {len(units)} paragraphs)": lambda f: [f(p, "en") for p in units],
        "10k words, punctuated, 1 paragraph": lambda f: f(article, "en"),
        "5k words, no punctuation, 1 paragraph": lambda f: f(half, "en"),
        "10k words, no punctuation, 1 paragraph": lambda f: f(bare, "en"),
        "10k words, no punctuation, 500-word pieces": lambda f: [f(p, "en") for p in capped],
    }
    print(f"{'case':46} " + " ".join(f"{c:>18}" for c in CANDIDATES))
    for case, run in cases.items():
        times = {cand: fastest(lambda f=f: run(f), repeats) for cand, f in CANDIDATES.items()}
        print(f"{case:46} " + " ".join(f"{times[c] * 1000:9.1f}ms" + f"{times[REFERENCE] / times[c]:>7.0f}x" for c in CANDIDATES))
    print(f"\nSentences found in the 10k punctuated article: "
          + ", ".join(f"{c} {len([s for s in f(article, 'en') if s.strip()])}" for c, f in CANDIDATES.items()))


#: Hand-written lines, one sentence per element, in Arabic and Hindi (the boundary marks listed).
SCRIPT_CASES = {
    "ar": ["هل وصل الوفد؟", "نعم، وصل صباح اليوم.", "وقال الوزير إن المحادثات ستبدأ غدا!", "انتهى الاجتماع."],
    "hi": ["क्या वह आया?", "हाँ, वह आज सुबह आया।", "मंत्री ने कहा कि बातचीत कल शुरू होगी॥", "यह वाक्य पूर्ण विराम से खत्म होता है.", "अगला वाक्य।"],
}


def other_languages(examples: int) -> None:
    print(f"\n## 3. French, Arabic, Hindi (MultiLing 2011; pysbd and sentencex get the language code)\n")
    print(f"{'candidate':18} {'lang':4} {'docs':>5} {'sent/doc':>8} {'>80 words':>9} {'longest':>7} {'text kept':>9}  hand-written marks")
    shown: list[str] = []
    for lang, source in OTHER.items():
        documents = load(source)
        for cand, splitter in CANDIDATES.items():
            sentences, altered = [], 0
            for _, text in documents:
                for paragraph, got in zip(paragraphs(text), split(splitter, text, lang)):
                    altered += not keeps_text(paragraph, got)
                    sentences.extend(got)
            lengths = [len(s.split()) for s in sentences]
            case = SCRIPT_CASES.get(lang)
            marks = ""
            if case:
                got = split(splitter, " ".join(case), lang)[0]
                marks = f"{sum(s in got for s in case)}/{len(case)} right" + ("" if got == case else f"  {got}")
            print(f"{cand:18} {lang:4} {len(documents):5d} {len(sentences) / len(documents):8.1f} "
                  f"{sum(n > LONG_SENTENCE_WORDS for n in lengths):9d} {max(lengths):7d} "
                  f"{'all' if not altered else f'{altered} lost':>9}  {marks}")
            longest = max(sentences, key=lambda s: len(s.split()))
            if len(longest.split()) > LONG_SENTENCE_WORDS and len(shown) < 3 * examples:
                shown.append(f"  {cand:18} {lang}: longest sentence ({len(longest.split())} words): {longest[:300]}…")
    print("\nLongest sentences where over 80 words (a missed split?):")
    print("\n".join(shown) or "  none")


#: (text, its sentences) with the right split known, English then French.
ABBREVIATIONS = {
    "en": [
        ("The U.S. economy grew last year. Exports rose.", ["The U.S. economy grew last year.", "Exports rose."]),
        ("He moved to the U.S. Then he found work.", ["He moved to the U.S.", "Then he found work."]),
        ("Gen. Miller spoke to reporters. He left.", ["Gen. Miller spoke to reporters.", "He left."]),
        ("Mr. Smith and Mrs. Jones met Dr. Lee. They agreed.", ["Mr. Smith and Mrs. Jones met Dr. Lee.", "They agreed."]),
        ("The blast came at 9 a.m. on Monday. Police arrived.", ["The blast came at 9 a.m. on Monday.", "Police arrived."]),
        ("The flight left at 10 p.m. Nobody was hurt.", ["The flight left at 10 p.m.", "Nobody was hurt."]),
        ("He lives at No. 10 Downing Street. It is old.", ["He lives at No. 10 Downing Street.", "It is old."]),
        ("J. R. R. Tolkien wrote it. It sold well.", ["J. R. R. Tolkien wrote it.", "It sold well."]),
        ("The report by John F. Kennedy Jr. was read aloud. Then silence.", ["The report by John F. Kennedy Jr. was read aloud.", "Then silence."]),
        ("Growth was 1.5 percent. Inflation was 2.25 percent.", ["Growth was 1.5 percent.", "Inflation was 2.25 percent."]),
        ('"We will stay," he said. "The airport is open."', ['"We will stay," he said.', '"The airport is open."']),
        ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
        ("“It is over.” The crowd cheered.", ["“It is over.”", "The crowd cheered."]),
        ("Was it an accident? Nobody knows! The inquiry begins.", ["Was it an accident?", "Nobody knows!", "The inquiry begins."]),
        ("Troops left on Aug. 30. The war ended.", ["Troops left on Aug. 30.", "The war ended."]),
        ("Sen. Graham, R-S.C., objected. The vote failed.", ["Sen. Graham, R-S.C., objected.", "The vote failed."]),
        ("Apple Inc. said sales fell. Shares dropped.", ["Apple Inc. said sales fell.", "Shares dropped."]),
        ("The U.N. said 7 people died (see p. 4). Talks go on.", ["The U.N. said 7 people died (see p. 4).", "Talks go on."]),
        ("Officials counted 1,200 people... Many more waited.", ["Officials counted 1,200 people...", "Many more waited."]),
        ("See www.example.com for details. It is free.", ["See www.example.com for details.", "It is free."]),
    ],
    "fr": [
        ("M. Dupont est arrivé hier. Il repart demain.", ["M. Dupont est arrivé hier.", "Il repart demain."]),
        ("Mme Martin a parlé. Elle a été applaudie.", ["Mme Martin a parlé.", "Elle a été applaudie."]),
        ("Le Dr. Bernard a soigné M. Petit. Tout va bien.", ["Le Dr. Bernard a soigné M. Petit.", "Tout va bien."]),
        ("La croissance a atteint 1,5 %. C'est peu.", ["La croissance a atteint 1,5 %.", "C'est peu."]),
        ("« Nous restons », a-t-il dit. Puis il est parti.", ["« Nous restons », a-t-il dit.", "Puis il est parti."]),
        ("Est-ce fini ? Personne ne sait ! L'enquête commence.", ["Est-ce fini ?", "Personne ne sait !", "L'enquête commence."]),
    ],
}

HOSTILE = {
    "empty": "",
    "blanks": " \n\t \n ",
    "50k chars, no space": ("abc.Def?" * 6_250),
    "emoji": "Great news 🎉🎉. Next one 👍 is here! 🇫🇷 Flags too.",
}


def abbreviations_and_hostile() -> None:
    print("\n## 4. Hand-written cases with a known split (whole case right = split exactly as expected)\n")
    print(f"{'candidate':18} " + " ".join(f"{lang:>7}" for lang in ABBREVIATIONS) + "  wrong cases")
    for cand, splitter in CANDIDATES.items():
        cells, wrong = [], []
        for lang, cases in ABBREVIATIONS.items():
            right = 0
            for text, expected in cases:
                got = [s for p in split(splitter, text, lang) for s in p]
                right += got == expected
                if got != expected:
                    wrong.append(f"{lang}:{got}")
            cells.append(f"{right:>3}/{len(cases):<3}")
        print(f"{cand:18} " + " ".join(cells))
        for line in wrong:
            print(f"{'':18}   {line}")
    print("\nHostile input (per candidate: sentences out, seconds, or the exception):")
    for name, text in HOSTILE.items():
        cells = []
        for cand, splitter in CANDIDATES.items():
            start = time.perf_counter()
            try:
                got = [s for p in split(splitter, text, "en") for s in p]
                whole = keeps_text(" ".join(paragraphs(text)), got)
                cells.append(f"{cand.split()[0]} {len(got)} sent {time.perf_counter() - start:.3f}s{'' if whole else ' TEXT LOST'}")
            except Exception as error:  # the point of the check: report any crash, by type
                cells.append(f"{cand.split()[0]} CRASH {type(error).__name__}: {str(error)[:60]}")
        print(f"  {name:20} " + " | ".join(cells))
    emoji = HOSTILE["emoji"]
    for cand, splitter in CANDIDATES.items():
        print(f"  emoji, {cand:18} {[s for p in split(splitter, emoji, 'en') for s in p]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--examples", type=int, default=4, help="disagreements printed per candidate and kind")
    parser.add_argument("--duc-examples", action="store_true", help="also print DUC 2003 text (never paste it into the repo)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the loader's warnings about long articles are not the point here
    corpora = {name: load(source) for name, source in ENGLISH.items()}
    print("# Sentence splitters, per paragraph after summarizer.data.segment.paragraphs")
    english_agreement(corpora, args.examples, args.duc_examples)
    speed(corpora, args.repeats)
    other_languages(args.examples)
    abbreviations_and_hostile()


if __name__ == "__main__":
    main()
