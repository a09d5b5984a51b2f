"""int8 MiniLM's thread layout: one model on all of the process's cores against one
single-threaded replica per core fed from as many threads (the default), at several batch sizes.

Measured in one run on the same distinct article statements (``sentences_of``, what the
pipeline embeds), the layouts alternated ``--repeats`` times (best of each), with the cosine of
each layout's vectors against the one-model layout's (they should agree to rounding):

    python benchmarks/bench_embed.py                      # DUC 2003 statements (../shared)
    python benchmarks/bench_embed.py --data examples/clusters.jsonl --sentences 500
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DUC = ROOT.parent / "shared" / "data" / "duc2003-task2" / "clusters.jsonl"


def statements(source: Path, limit: int) -> list[str]:
    """The first ``limit`` distinct statements of ``source``'s articles, as fusion cuts them."""
    from summarizer.config import load_config
    from summarizer.data import clusters, load_articles
    from summarizer.fuse.merge import sentences_of

    config = load_config("extractive")
    texts: dict[str, None] = {}
    for articles in clusters(load_articles(str(source), config.data)).values():
        for candidate in sentences_of([(a.doc_id, a.text) for a in articles], config.fusion):
            texts.setdefault(candidate.text)
        if len(texts) >= limit:
            break
    return list(texts)[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DUC)
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--batches", type=int, nargs="+", default=[8, 16, 32])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from summarizer.text.int8_embed import MiniLMInt8Embedder
    from summarizer.threads import cores

    texts = statements(args.data, args.sentences)
    layouts = {f"1 model x {cores()} threads": MiniLMInt8Embedder(replicas=1), f"{cores()} replicas x 1 thread": MiniLMInt8Embedder()}
    print(f"{len(texts)} distinct statements of {args.data}; {cores()} cores; best of {args.repeats} alternated rounds")
    print("| batch | " + " | ".join(f"{name}, sentences/s" for name in layouts) + " | ratio | lowest cosine |")
    print("|---|" + "---|" * (len(layouts) + 2))
    for batch in args.batches:
        best, vectors = dict.fromkeys(layouts, 0.0), {}
        for _ in range(args.repeats):
            for name, embedder in layouts.items():
                embedder.batch_size = batch
                start = time.perf_counter()
                vectors[name] = embedder.encode(texts)
                best[name] = max(best[name], len(texts) / (time.perf_counter() - start))
        one, many = list(layouts)
        cosine = float(np.min((vectors[one] * vectors[many]).sum(axis=1)))
        print(f"| {batch} | {best[one]:.0f} | {best[many]:.0f} | {best[many] / best[one]:.2f}x | {cosine:.5f} |")


if __name__ == "__main__":
    main()
