"""The static embedder (``minilm-static``) against int8 MiniLM (the default): speed and agreement.

Parts, all measured in this one run on the article statements (``sentences_of``, what fusion
embeds) of each data set:

* sentences per second of int8 MiniLM and of the static model on the same distinct sentences,
  alternated ``--repeats`` times (best of each), and their ratio;
* "same claim" decisions: for every pair of statements of one cluster, int8 MiniLM's call at
  its threshold 0.7 is the reference; for static thresholds from 0.50 to 0.95 the precision
  and recall of the static calls against it (and F1: the best one is ``default_threshold``);
* attribution: for each sentence of the default extractive digest, the best evidence sentence
  in each other article (what ``fuse.merge`` scores support with): how often the static model
  picks the same one, and how often it agrees that the article supports the claim (score at
  or above each embedder's threshold);
* the digests: ``extractive`` run with each embedder (wall and embedding seconds, digest
  sentences in common), and ROUGE-1/2 F1 of both through ``summarizer compare`` on MultiLing EN
  (the data set with reference summaries).

    python benchmarks/bench_static.py                 # about 4 minutes on 2 cores, once distilled
    python benchmarks/bench_static.py --skip-compare  # speed and agreement only
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DATA = {
    "multiling2011-en": SHARED / "multiling2011-en" / "clusters.jsonl",
    "kabul-2021 (shared)": SHARED / "kabul-2021",
    "kabul-2021 (example)": ROOT / "examples" / "kabul-2021",
}
REFERENCE_THRESHOLD = 0.7  # MiniLM's default_threshold (fp32 and int8)
GRID = np.round(np.arange(0.50, 0.951, 0.05), 2)


def statements(source: Path) -> dict[str, list]:
    """Each cluster's article statements (``Candidate``), as fusion sees them."""
    from summarizer.config import load_config
    from summarizer.data import clusters, load_articles
    from summarizer.fuse.merge import sentences_of

    fusion = load_config("extractive").fusion
    grouped = clusters(load_articles(str(source), load_config("extractive").data))
    return {cid: sentences_of([(a.doc_id, a.text) for a in articles], fusion) for cid, articles in grouped.items()}


def speed(texts: list[str], embedders: dict, repeats: int) -> dict[str, float]:
    """Best sentences/s of each embedder on ``texts``, the embedders alternated each round."""
    best = dict.fromkeys(embedders, 0.0)
    for _ in range(repeats):
        for name, embedder in embedders.items():
            start = time.perf_counter()
            embedder.encode(texts)
            best[name] = max(best[name], len(texts) / (time.perf_counter() - start))
    return best


def pair_agreement(per_cluster: list[tuple[np.ndarray, np.ndarray]]) -> dict[float, tuple[float, float, float, int]]:
    """Precision, recall, F1 of static "same claim" calls against int8's at 0.7, per threshold."""
    reference, static = [], []
    for minilm, fast in per_cluster:
        upper = np.triu_indices(len(minilm), k=1)
        reference.append((minilm @ minilm.T)[upper] >= REFERENCE_THRESHOLD)
        static.append((fast @ fast.T)[upper])
    ref, sim = np.concatenate(reference), np.concatenate(static)
    table = {}
    for threshold in GRID:
        called = sim >= threshold
        hits = int((called & ref).sum())
        precision = hits / called.sum() if called.any() else 1.0
        recall = hits / ref.sum() if ref.any() else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[float(threshold)] = (precision, recall, f1, int(ref.sum()))
    return table


def attribution(claims: list[tuple[str, str]], corpus: list, minilm: np.ndarray, fast: np.ndarray, static_threshold: float) -> tuple[int, int, int, int, int]:
    """For each (claim text, its article) and each other article: (pairs, same best sentence,
    supported under both, under int8 only, under static only)."""
    index = {c.text: i for i, c in enumerate(corpus)}
    docs = sorted({c.doc_id for c in corpus})
    rows_of = {d: np.array([i for i, c in enumerate(corpus) if c.doc_id == d]) for d in docs}
    pairs = same = both = only_ref = only_static = 0
    for text, doc in claims:
        if text not in index:
            continue
        q = index[text]
        for other in docs:
            if other == doc:
                continue
            rows = rows_of[other]
            ref_scores, fast_scores = minilm[rows] @ minilm[q], fast[rows] @ fast[q]
            pairs += 1
            same += int(ref_scores.argmax() == fast_scores.argmax())
            ref_ok, fast_ok = ref_scores.max() >= REFERENCE_THRESHOLD, fast_scores.max() >= static_threshold
            both += int(ref_ok and fast_ok)
            only_ref += int(ref_ok and not fast_ok)
            only_static += int(fast_ok and not ref_ok)
    return pairs, same, both, only_ref, only_static


def digests(source: Path, embedder: str, converted: Path) -> tuple[dict[str, list[tuple[str, str]]], float, float]:
    """The extractive digest of each cluster with ``embedder`` (no cache): (sentence, first source)
    per cluster, the run's wall seconds and its summed embedding seconds (the prefetch)."""
    from summarizer.config import load_config
    from summarizer.pipeline import run

    config = load_config("extractive", [f"fusion.embedder={embedder}", f"model.converted_folder={converted}", "cache.enabled=false"])
    start = time.perf_counter()
    results = run(str(source), config, progress=False)
    wall = time.perf_counter() - start
    chosen = {d.cluster_id: [(s.text, s.sources[0]) for s in d.digest] for d in results}
    return chosen, wall, sum(d.timings["embed_s"] for d in results)


def compare(data: Path, folder: Path, converted: Path) -> None:
    """ROUGE-1/2 F1 of ``extractive`` with the default embedder and with ``minilm-static``, an
    empty cache folder in ``folder`` but the conversions of ``converted`` (made once)."""
    extractive = (ROOT / "configs" / "extractive.yaml").read_text(encoding="utf-8")
    static = folder / "extractive-static.yaml"
    static.write_text(extractive.replace("embedder: auto", "embedder: minilm-static"), encoding="utf-8")
    out = folder / "compare"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SUMMARIZER_CACHE": str(folder / "cache")}
    command = [sys.executable, "-m", "summarizer", "compare", str(data), "--configs", "extractive", str(static), "--quiet", "-o", str(out), "--set", f"model.converted_folder={converted}"]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"\nsummarizer compare on {data.parent.name} ({time.perf_counter() - start:.0f} s):")
    print((out / "table.md").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="speed rounds (best of each embedder)")
    parser.add_argument("--skip-compare", action="store_true", help="no summarizer compare (ROUGE) at the end")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # this tree's package, not an installed one
    from summarizer.config import ModelSettings
    from summarizer.text.int8_embed import MiniLMInt8Embedder
    from summarizer.text.static_embed import StaticEmbedder

    converted = ModelSettings().resolved_converted_folder  # the distillation is made once, outside the timings
    int8, static = MiniLMInt8Embedder(converted_folder=converted), StaticEmbedder(converted_folder=converted)
    print(f"static: {static.identity}, {static.dimensions} dimensions, default_threshold {static.default_threshold}")
    per_source = {name: statements(path) for name, path in DATA.items() if path.exists()}
    texts = list(dict.fromkeys(c.text for clusters in per_source.values() for corpus in clusters.values() for c in corpus))
    rates = speed(texts, {"int8 MiniLM": int8, "minilm-static": static}, args.repeats)
    print(f"\nspeed on {len(texts)} distinct statements (best of {args.repeats}, alternated):")
    for name, rate in rates.items():
        print(f"  {name:14s} {rate:9.0f} sentences/s")
    print(f"  ratio static / int8: {rates['minilm-static'] / rates['int8 MiniLM']:.1f}x")

    pooled = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, clusters in per_source.items():
            vectors = {cid: (int8.encode([c.text for c in corpus]), static.encode([c.text for c in corpus])) for cid, corpus in clusters.items()}
            pooled.extend(vectors.values())
            table = pair_agreement(list(vectors.values()))
            best = max(table, key=lambda t: table[t][2])
            print(f"\n{name}: {len(clusters)} clusters; pairs int8 calls the same at 0.7: {table[best][3]}")
            print("  static threshold  precision  recall   F1")
            for threshold, (p, r, f, _) in table.items():
                print(f"  {threshold:15.2f}  {p:9.3f}  {r:6.3f}  {f:5.3f}" + ("  <- best" if threshold == best else ""))
            default, default_wall, default_embed = digests(DATA[name], "auto", converted)
            static_digests, static_wall, static_embed = digests(DATA[name], "minilm-static", converted)
            kept = sum(len(set(default[cid]) & set(static_digests[cid])) for cid in default)
            print(
                f"  extractive run: {default_wall:.1f} s with int8 (embedding {default_embed:.1f} s), {static_wall:.1f} s with static "
                f"(embedding {static_embed:.1f} s); {kept} of {sum(map(len, default.values()))} default digest sentences also in the static digests"
            )
            totals = np.zeros(5, dtype=int)
            for cid, claims in default.items():
                minilm, fast = vectors[cid]
                totals += attribution(claims, clusters[cid], minilm, fast, static.default_threshold)
            pairs, same, both, only_ref, only_static = totals
            supported = both + only_ref
            print(
                f"  attribution over {pairs} (digest sentence, other article) pairs: same best sentence {same / pairs:.1%}; "
                f"articles supporting under int8: {supported}, of which static agrees {both / max(supported, 1):.1%}; "
                f"static adds {only_static}"
            )
        table = pair_agreement(pooled)
        best = max(table, key=lambda t: table[t][2])
        p, r, f, n = table[best]
        print(f"\nall sources pooled ({n} pairs same under int8): best static threshold {best:.2f}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
        p, r, f, n = table[static.default_threshold]
        print(f"  at default_threshold {static.default_threshold}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
        if not args.skip_compare and DATA["multiling2011-en"].exists():
            compare(DATA["multiling2011-en"], Path(tmp), converted)


if __name__ == "__main__":
    main()
