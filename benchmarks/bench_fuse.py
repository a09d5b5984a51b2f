"""Fusion scaling: grouping and whole-fusion time at 1k, 3k, 10k and 30k summary sentences.

Vectors are precomputed, random-ish unit vectors of dimension 384 (MiniLM's): paraphrase groups
of about four sentences around random topics, so the threshold links real pairs. Each article
has five summary sentences (the candidates) and ten article sentences (the corpus searched for
evidence: its five summary sentences and five more), so a cluster of n candidates has n / 5
articles and 2n corpus sentences; one sentence in seven states a figure. Timed, side by side:

* exact: :func:`summarizer.fuse.merge.group_similar` plus the medoid of every group, the part of
  fusion whose cost grows with the number of sentences squared; it is also the default path
  (fusion has no other);
* hnsw: the same groups from candidate pairs found by a faiss HNSW index (inner product,
  16 links, efConstruction 40, built single-threaded so the graph is the same on every run;
  16 neighbours searched with efSearch 64, and again with 4x more for rows whose last
  neighbour is still at or above the threshold), each pair then kept only when its exact dot
  product is at or above the threshold. Shown only for comparison (and only when faiss is
  installed); "recall" is the share of the exact pairs it finds, "same" whether its groups
  equal the exact ones;
* fuse: the whole :func:`summarizer.fuse.merge.fuse` with the corpus (up to ``--fuse-max``);
* peak MB: the largest extra memory numpy allocated while grouping (tracemalloc, separate run);
* embedding (separate): MiniLM on ``--embed`` sentences, when installed.

The exponent is the least-squares slope of log(time) over log(n) from 3k to 30k.

    python benchmarks/bench_fuse.py
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from summarizer.config import FusionSettings
from summarizer.fuse.merge import Candidate, _medoid, fuse, group_similar
from summarizer.fuse.pairs import similar_pairs

DIM = 384
THRESHOLD = 0.7  # MiniLM's default threshold
PER_ARTICLE = 5  # summary sentences per article; the article has twice as many sentences


def vectors(n: int, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors in groups of about four around random topics (within-group cosine ~0.7-0.8)."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(max(n // 4, 1), DIM)).astype(np.float32)
    rows = topics[rng.integers(0, len(topics), n)] + 0.55 * rng.normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def cluster(n: int, seed: int = 0) -> tuple[list[Candidate], np.ndarray, list[Candidate], np.ndarray]:
    """``n`` candidates from n / 5 articles, and the articles' 2n sentences as the corpus."""
    rows = vectors(2 * n, seed)

    def sentence(i: int) -> Candidate:
        doc = (i % n) // PER_ARTICLE
        figure = f", and {i % 13 + 2} people were evacuated" if i % 7 == 0 else ""
        return Candidate(f"Sentence {_word(i)} of article {_word(doc)} says something{figure}.", f"d{doc}", doc, i // n * PER_ARTICLE + i % PER_ARTICLE)

    corpus = [sentence(i) for i in range(2 * n)]
    return corpus[:n], rows[:n], corpus, rows


def _word(number: int) -> str:
    """A name without digits (digits would make every sentence state a figure)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
        if not number:
            return letters


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def grouping(v: np.ndarray) -> list[list[int]]:
    groups = group_similar(v, THRESHOLD)
    [_medoid(members, v) for members in groups]
    return groups


def hnsw_pairs(v: np.ndarray, threshold: float, k: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) at or above the threshold among the HNSW neighbours of every row."""
    import faiss

    index = faiss.IndexHNSWFlat(v.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 40
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # a fixed insertion order: the same graph on every run
    try:
        index.add(np.ascontiguousarray(v, dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(threads)
    rows, found = np.arange(len(v)), []
    while rows.size:
        k = min(k, len(v))
        index.hnsw.efSearch = max(64, k)
        _, neighbours = index.search(v[rows], k)
        row, col = np.repeat(rows, k), neighbours.ravel()
        keep = (col >= 0) & (col != row)
        row, col = row[keep], col[keep]
        exact = np.einsum("ij,ij->i", v[row], v[col]) >= threshold  # the exact dot product decides
        found.append(np.unique(np.minimum(row, col)[exact] * len(v) + np.maximum(row, col)[exact]))
        last = neighbours[:, -1]
        full = (last >= 0) & (np.einsum("ij,ij->i", v[rows], v[np.maximum(last, 0)]) >= threshold)
        rows = rows[full] if k < len(v) else rows[:0]  # dense groups: search again, further
        k *= 4
    pairs = np.unique(np.concatenate(found))
    return pairs // len(v), pairs % len(v)


def hnsw_grouping(v: np.ndarray) -> tuple[list[list[int]], tuple[np.ndarray, np.ndarray]]:
    row, col = hnsw_pairs(v, THRESHOLD)
    n = len(v)
    _, labels = connected_components(coo_matrix((np.ones(len(row), dtype=np.int8), (row, col)), shape=(n, n)), directed=False)
    order = np.argsort(labels, kind="stable")
    groups = sorted((m.tolist() for m in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)), key=lambda m: m[0])
    [_medoid(members, v) for members in groups]
    return groups, (row, col)


def peak_mb(function, *args) -> float:
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def exponent(times: dict[int, float]) -> str:
    fitted = [n for n in times if n >= 3000]
    if len(fitted) < 2:
        return "-"
    return f"{np.polyfit(np.log(fitted), np.log([times[n] for n in fitted]), 1)[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000, 30000])
    parser.add_argument("--fuse-max", type=int, default=30000, help="largest n for the whole fuse()")
    parser.add_argument("--no-hnsw", action="store_true", help="skip the faiss HNSW comparison")
    parser.add_argument("--embed", type=int, default=1000, help="sentences to embed with MiniLM (0 = skip)")
    args = parser.parse_args()
    hnsw = not args.no_hnsw
    if hnsw:
        try:
            import faiss  # noqa: F401
        except ImportError:
            hnsw = False
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, dimension {DIM}, threshold {THRESHOLD}"
          + ("" if hnsw else " (faiss not installed: no HNSW column)"))
    print(f"{'sentences':>10}{'groups':>8}{'exact=default s':>17}{'hnsw s':>8}{'recall':>9}{'same':>6}{'fuse s':>8}{'peak MB':>9}")
    exact_times, hnsw_times, fuse_times = {}, {}, {}
    for n in args.sizes:
        v = vectors(n)
        exact_times[n], groups = timed(grouping, v)
        hnsw_cell = recall_cell = same_cell = "-"
        if hnsw:
            hnsw_times[n], (found, (row, col)) = timed(hnsw_grouping, v)
            true_row, true_col = similar_pairs(v, None, THRESHOLD)
            hit = np.isin(row * n + col, true_row * n + true_col).sum()
            hnsw_cell, recall_cell, same_cell = f"{hnsw_times[n]:.2f}", f"{hit / max(len(true_row), 1):.5f}", "yes" if found == groups else "NO"
        whole = "-"
        if n <= args.fuse_max:
            cands, cv, corpus, corpus_v = cluster(n)
            fuse_times[n], _ = timed(fuse, cands, cv, FusionSettings(), THRESHOLD, corpus, corpus_v)
            whole = f"{fuse_times[n]:.2f}"
        print(f"{n:>10}{len(groups):>8}{exact_times[n]:>17.2f}{hnsw_cell:>8}{recall_cell:>9}{same_cell:>6}{whole:>8}{peak_mb(group_similar, v, THRESHOLD):>9.0f}")
    print(f"growth exponent 3k-30k: exact = default {exponent(exact_times)}, hnsw {exponent(hnsw_times)}, whole fuse {exponent(fuse_times)}")
    if args.embed:
        from summarizer.text.embed import MiniLMEmbedder

        embedder = MiniLMEmbedder()
        texts = [f"Officials in city {i} reported that {i % 97} people were evacuated on Monday." for i in range(args.embed)]
        seconds, _ = timed(embedder.encode, texts)
        print(f"embedding (separate): {args.embed} sentences in {seconds:.1f} s = {args.embed / seconds:.0f} sentences/s "
              f"(30k: about {30000 / (args.embed / seconds):.0f} s)")


if __name__ == "__main__":
    main()
