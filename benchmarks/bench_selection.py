"""Concept-coverage selection: its time per cluster, and its share of fusion.

On the real MultiLing 2011 clusters (10 articles each, 250-word digests, the extractive
candidates: every statement of every article), timed side by side in one run, per cluster:

* embed: MiniLM vectors of every statement (what fusion computes before choosing; memoised
  in the pipeline, so paid once per cluster);
* select: :func:`summarizer.fuse.select.pick` as the extractive config runs it (learned concept
  weights, shorter sentence forms, the paraphrase check), the integer program and its set-up;
* df select: the same with the pre-issue-20 settings (``configs/extractive-df.yaml``: article
  counts as weights, whole sentences only), for the ratio of the two;
* attribute: sources and evidence of the chosen sentences (the rest of
  :func:`summarizer.fuse.select.select_sentences`);
* ranking: the older :func:`summarizer.fuse.merge.fuse` on the same candidates, for scale.

Printed: the median over clusters of each, select as a ratio of embed + attribute (the rest
of fusion), and select / df select. Each stage runs ``--repeats`` times per cluster and the fastest run counts.

    python benchmarks/bench_selection.py [--source ../shared/data/multiling2011-en/clusters.jsonl]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from summarizer.config import load_config
from summarizer.data import clusters, load_articles
from summarizer.fuse import sentences_of
from summarizer.text import get_embedder
from summarizer.fuse.merge import attribute_all, fuse
from summarizer.fuse.select import pick


def fastest(step, repeats: int) -> tuple[float, object]:
    """The shortest wall time of ``repeats`` calls of ``step``, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="../shared/data/multiling2011-en/clusters.jsonl")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = load_config("extractive")
    settings = config.fusion
    old = load_config("extractive-df").fusion
    embedder = get_embedder(settings.embedder)
    threshold = settings.threshold or embedder.default_threshold
    rows = []
    for cluster_id, articles in clusters(load_articles(args.source, config.data)).items():
        corpus = sentences_of([(a.doc_id, a.text) for a in articles], settings)
        texts = [a.text for a in articles]
        embed_s, vectors = fastest(lambda: embedder.encode([c.text for c in corpus]), args.repeats)
        select_s, chosen = fastest(lambda: [i for i, _ in pick(corpus, vectors, settings, threshold, texts, corpus)], args.repeats)
        df_s, _ = fastest(lambda: pick(corpus, vectors, old, threshold, texts, corpus), args.repeats)
        picked = [corpus[i] for i in chosen]
        attribute_s, _ = fastest(lambda: attribute_all(picked, vectors[chosen], threshold, corpus, vectors), args.repeats)
        ranking_s, _ = fastest(lambda: fuse(corpus, vectors, settings, threshold, corpus, vectors), args.repeats)
        rows.append((embed_s, select_s, attribute_s, ranking_s, df_s))
        print(f"{cluster_id}: {len(corpus)} candidates, select {select_s:.3f} s, df select {df_s:.3f} s, embed {embed_s:.3f} s, attribute {attribute_s:.3f} s, ranking {ranking_s:.3f} s")
    embed_s, select_s, attribute_s, ranking_s, df_s = np.median(np.array(rows), axis=0)
    print(
        f"median per cluster: select {select_s:.3f} s, df select {df_s:.3f} s, embed {embed_s:.3f} s, attribute {attribute_s:.3f} s, "
        f"ranking {ranking_s:.3f} s; select / (embed + attribute) = {select_s / (embed_s + attribute_s):.2f}, select / df select = {select_s / df_s:.2f}"
    )


if __name__ == "__main__":
    main()
