"""Grouping a feed into stories: B-cubed precision, recall and F1 on the development feed, the
threshold's sensitivity, and the time and peak memory of grouping 10,000 articles.

The development feed: every cluster of DUC 2003 task 2 (30 TDT topics, dated by their doc ids; an article filed under two topics is kept in the first)
and of MultiLing 2011 in English, French, Arabic and Hindi (10 topics each, undated), shuffled
into one feed; the truth is each article's own cluster (the same MultiLing topic
in two languages is two clusters). Nothing of it is written anywhere.

    python benchmarks/bench_stories.py                 # sweep, digests, 10,000-article run
    python benchmarks/bench_stories.py --scale 0       # no 10,000-article run
    python benchmarks/bench_stories.py --no-digests    # no digest comparison (it takes minutes)

The digest comparison: for every true cluster, the story holding most of its articles is digested
(config ``extractive``) and so is the true cluster, and both digests are scored against the
cluster's references with ROUGE-2 mean over references (DUC 2003: recall of the first 100 words,
its protocol; MultiLing: F1 of the first 250 words): the cost of grouping, in ROUGE-2 points.

The 10,000-article feed is the development feed repeated with light edits (each copy drops one
sentence in five and gets new doc ids); it runs in a child process so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer.config import GroupingSettings  # noqa: E402
from summarizer.records import Article  # noqa: E402
from summarizer.stories import group_stories  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
THRESHOLDS = (0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.25, 0.30)
MOVE_THRESHOLDS = (0.04, 0.06, 0.08, 0.10)
SOURCES = ["duc2003-task2", *(f"multiling2011-{language}" for language in ("en", "fr", "ar", "hi"))]


def references() -> dict[str, list[str]]:
    """Each true cluster's human summaries."""
    return {r["cluster_id"]: r["references"] for source in SOURCES for r in map(json.loads, (DATA / source / "clusters.jsonl").open(encoding="utf-8"))}


def development_feed(seed: int = 0) -> tuple[list[Article], dict[str, str]]:
    """The shuffled feed and each doc id's true cluster."""
    articles, truth = [], {}
    for record in map(json.loads, (DATA / SOURCES[0] / "clusters.jsonl").open(encoding="utf-8")):
        for doc in record["documents"]:
            if doc["doc_id"] in truth:  # a few articles belong to two topics: kept in the first
                continue
            day = f"{doc['doc_id'][3:7]}-{doc['doc_id'][7:9]}-{doc['doc_id'][9:11]}"  # APW19981017.0151
            articles.append(Article("feed", doc["doc_id"], doc["title"], doc["text"], date=day))
            truth[doc["doc_id"]] = record["cluster_id"]
    for language in ("en", "fr", "ar", "hi"):
        for record in map(json.loads, (DATA / f"multiling2011-{language}" / "clusters.jsonl").open(encoding="utf-8")):
            for doc in record["documents"]:
                doc_id = f"{language}-{doc['doc_id']}"
                articles.append(Article("feed", doc_id, doc["title"], doc["text"]))
                truth[doc_id] = record["cluster_id"]
    random.Random(seed).shuffle(articles)
    return articles, truth


def b_cubed(stories, truth: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over articles."""
    predicted = {doc: story.id for story in stories for doc in story.doc_ids}
    pairs = Counter((predicted[d], truth[d]) for d in predicted)
    sizes, gold = Counter(predicted.values()), Counter(truth[d] for d in predicted)
    precision = sum(pairs[(predicted[d], truth[d])] / sizes[predicted[d]] for d in predicted) / len(predicted)
    recall = sum(pairs[(predicted[d], truth[d])] / gold[truth[d]] for d in predicted) / len(predicted)
    return precision, recall, 2 * precision * recall / (precision + recall)


def sweep(articles, truth) -> None:
    default = GroupingSettings()
    print(f"development feed: {len(articles)} articles, {len(set(truth.values()))} true clusters; default threshold {default.threshold}")
    print("| threshold | B-cubed P | B-cubed R | B-cubed F1 | stories | single articles |")
    print("|---|---|---|---|---|---|")
    for threshold in sorted({*THRESHOLDS, default.threshold}):
        stories = group_stories(articles, default.model_copy(update={"threshold": threshold}))
        p, r, f = b_cubed(stories, truth)
        mark = "**" if threshold == default.threshold else ""
        print(f"| {mark}{threshold:.2f}{mark} | {p:.3f} | {r:.3f} | {mark}{f:.3f}{mark} | {len(stories)} | {sum(s.size == 1 for s in stories)} |")
    print("| move_threshold (k-means rounds) | B-cubed P | B-cubed R | B-cubed F1 | stories |")
    print("|---|---|---|---|---|")
    for move in MOVE_THRESHOLDS:
        stories = group_stories(articles, default.model_copy(update={"move_threshold": move}))
        p, r, f = b_cubed(stories, truth)
        mark = "**" if move == default.move_threshold else ""
        print(f"| {mark}{move:.2f}{mark} | {p:.3f} | {r:.3f} | {mark}{f:.3f}{mark} | {len(stories)} |")
    for name, subset in (("DUC only", lambda d: truth[d].startswith("DUC")), ("MultiLing only", lambda d: not truth[d].startswith("DUC"))):
        part = [a for a in articles if subset(a.doc_id)]
        p, r, f = b_cubed(group_stories(part, default), truth)
        print(f"{name} ({len(part)} articles), default threshold: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    shuffles()


def shuffles(seeds=range(5)) -> None:
    """B-cubed F1 at the defaults over several shuffles of the feed: undated articles are
    assigned in feed order, so one shuffle's figure carries that order's luck. DUC is also
    grouped with its dates removed, the case of a feed that has none."""
    found: dict[str, list[float]] = {}
    for seed in seeds:
        articles, truth = development_feed(seed)
        duc = [a for a in articles if truth[a.doc_id].startswith("DUC")]
        for name, part in (("whole feed", articles), ("DUC only", duc), ("DUC only, undated", [replace(a, date="") for a in duc])):
            found.setdefault(name, []).append(b_cubed(group_stories(part, GroupingSettings()), truth)[2])
    print(f"| B-cubed F1 over shuffles {seeds[0]}-{seeds[-1]} | mean | lowest | highest |")
    print("|---|---|---|---|")
    for name, values in found.items():
        print(f"| {name} | {np.mean(values):.3f} | {min(values):.3f} | {max(values):.3f} |")


def digest_cost(articles, truth) -> None:
    """ROUGE-2 of each true cluster's digest against that of the story holding most of its
    articles, with the paired test of the difference (per source: DUC and MultiLing score differently)."""
    from summarizer.compare.metrics import paired_test, rouge
    from summarizer.config import load_config
    from summarizer.pipeline import Pipeline

    stories = group_stories(articles, GroupingSettings())
    story_of = {doc: story for story in stories for doc in story.doc_ids}
    by_id = {a.doc_id: a for a in articles}
    summaries = references()
    pipeline = Pipeline(load_config("extractive", ["cache.enabled=false"]))
    scores: dict[str, list[tuple[float, float]]] = {}
    for cluster in sorted(set(truth.values())):
        members = [a for a in articles if truth[a.doc_id] == cluster]
        story = Counter(story_of[a.doc_id].id for a in members).most_common(1)[0][0]
        grouped = [by_id[d] for s in stories if s.id == story for d in s.doc_ids]
        duc = cluster.startswith("DUC")
        protocol = {"measure": "recall", "words": 100} if duc else {"measure": "f1", "words": 250}
        pair = []
        for part in (members, grouped):
            digest = pipeline.digest(cluster, part, progress=False)
            pair.append(rouge(" ".join(s.text for s in digest.digest), summaries[cluster], combine="mean", language=digest.language, **protocol)["rouge2"])
        scores.setdefault("DUC 2003 (R2 recall @100)" if duc else "MultiLing (R2 F1 @250)", []).append(tuple(pair))
        if abs(pair[1] - pair[0]) >= 0.005:  # where grouping cost or gained half a point or more
            others = Counter(truth[d] for d in dict.fromkeys(d for s in stories if s.id == story for d in s.doc_ids))
            print(f"{cluster}: {100 * (pair[1] - pair[0]):+.1f} points; its story holds "
                  + ", ".join(f"{count} of {name}" for name, count in others.most_common()) + f" (the cluster has {len(members)})")
    print("| clusters | true clusters' digests | stories' digests | difference (points) | p |")
    print("|---|---|---|---|---|")
    for name, pairs in scores.items():
        true, grouped = zip(*pairs)
        test = paired_test(true, grouped, resamples=1000, confidence=0.95, seed=0)
        print(f"| {name}, {len(pairs)} | {np.mean(true):.4f} | {np.mean(grouped):.4f} | {100 * (np.mean(grouped) - np.mean(true)):+.2f} | {test['p']:.3f} |")


def edited_copies(articles, total: int, seed: int = 1) -> list[Article]:
    """``total`` articles: copies of ``articles`` with one sentence in five dropped and new ids."""
    rng = random.Random(seed)
    out = []
    for copy in range((total + len(articles) - 1) // len(articles)):
        for article in articles:
            lines = [line for line in article.text.split("\n") if copy == 0 or rng.random() > 0.2]
            out.append(replace(article, doc_id=f"{article.doc_id}~{copy}", text="\n".join(lines) or article.text))
    return out[:total]


def scale(total: int) -> None:
    """Group ``total`` articles in a child process (this script with ``--child``), so that the
    peak RSS it prints is the grouping's own."""
    subprocess.run([sys.executable, __file__, "--child", str(total)], check=True)


def timed_run(total: int) -> None:
    """``total - 100`` articles grouped into a fresh store, then the 100 others added to it."""
    articles, _ = development_feed()
    feed = edited_copies(articles, total)
    out = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    stories = group_stories(feed[:-100], GroupingSettings(), out)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = group_stories(feed, GroupingSettings(), out)
    second = time.perf_counter() - start
    kept = {d: s.id for s in stories for d in s.doc_ids}
    moved = sum(kept[d] != s.id for s in again for d in s.doc_ids if d in kept)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(feed) - 100} articles grouped in {first:.1f} s into {len(stories)} stories "
          f"({sum(s.size == 1 for s in stories)} single); 100 more added in {second:.1f} s "
          f"({moved} earlier articles changed story); peak RSS {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="articles of the timed run (0: none)")
    parser.add_argument("--no-digests", action="store_true", help="skip the digest comparison")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return timed_run(args.child)
    articles, truth = development_feed()
    sweep(articles, truth)
    if not args.no_digests:
        digest_cost(articles, truth)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
