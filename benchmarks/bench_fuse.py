"""Fusion scaling: grouping time at 1k, 3k, 10k and 30k summary sentences, and its growth exponent.

Vectors are precomputed, random-ish unit vectors of dimension 384 (MiniLM's): paraphrase groups
of about four sentences around random topics, so the threshold links real pairs. Timed:

* grouping: :func:`summarizer.fuse.group_similar` plus the medoid of every group, the part of
  fusion whose cost grows with the number of sentences squared;
* fuse: the whole :func:`summarizer.fuse.fuse` on sentences with text (up to ``--fuse-max``);
* embedding (separate): MiniLM on ``--embed`` sentences, when installed.

The exponent is the least-squares slope of log(time) over log(n) from 3k to 30k.

    python benchmarks/bench_fuse.py
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from summarizer.config import FusionSettings
from summarizer.fuse import Candidate, _medoid, fuse, group_similar

DIM = 384
THRESHOLD = 0.7  # MiniLM's default threshold


def vectors(n: int, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors in groups of about four around random topics (within-group cosine ~0.7-0.8)."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(max(n // 4, 1), DIM)).astype(np.float32)
    rows = topics[rng.integers(0, len(topics), n)] + 0.55 * rng.normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def grouping(v: np.ndarray) -> int:
    groups = group_similar(v, THRESHOLD)
    return len([_medoid(members, v) for members in groups])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000, 30000])
    parser.add_argument("--fuse-max", type=int, default=3000, help="largest n for the whole fuse() (its attribution is slower)")
    parser.add_argument("--embed", type=int, default=1000, help="sentences to embed with MiniLM (0 = skip)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, dimension {DIM}, threshold {THRESHOLD}")
    print(f"{'sentences':>10}{'groups':>9}{'grouping s':>12}{'fuse s':>9}")
    times = {}
    for n in args.sizes:
        v = vectors(n)
        seconds, count = timed(grouping, v)
        times[n] = seconds
        whole = ""
        if n <= args.fuse_max:
            cands = [Candidate(f"Sentence {i} of article {i % 50} says something.", f"d{i % 50}", i % 50, i // 50) for i in range(n)]
            whole = f"{timed(fuse, cands, v, FusionSettings(), THRESHOLD)[0]:.2f}"
        print(f"{n:>10}{count:>9}{seconds:>12.2f}{whole:>9}")
    fitted = [n for n in times if n >= 3000]
    if len(fitted) >= 2:
        slope = np.polyfit(np.log(fitted), np.log([times[n] for n in fitted]), 1)[0]
        print(f"growth exponent {min(fitted)}-{max(fitted)}: {slope:.2f}")
    if args.embed:
        from summarizer.embed import MiniLMEmbedder

        embedder = MiniLMEmbedder()
        texts = [f"Officials in city {i} reported that {i % 97} people were evacuated on Monday." for i in range(args.embed)]
        seconds, _ = timed(embedder.encode, texts)
        print(f"embedding (separate): {args.embed} sentences in {seconds:.1f} s = {args.embed / seconds:.0f} sentences/s "
              f"(30k: about {30000 / (args.embed / seconds):.0f} s)")


if __name__ == "__main__":
    main()
