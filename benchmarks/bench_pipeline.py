"""End-to-end throughput: today's code against this tree's, side by side in one run.

Parts, each printed as ratios of variants measured in this one run (never absolute seconds
compared across runs):

* clusters per minute of ``python -m summarizer run FILE --config CONFIG`` in a fresh process,
  for the baseline tree (``--baseline-rev``, extracted with ``git archive``; default: the commit
  this branch started from) and for this tree, alternated ``--repeats`` times; each with its peak
  memory (max RSS of the process) and a per-stage breakdown summed from the digests' timings
  (start-up = wall time minus the stages: imports, reading the data, writing);
* sentences per second of each embedding path on the distinct sentences of the MultiLing and
  Kabul articles: fp32 MiniLM called once per article (today's LexRank), fp32 in one call, int8
  in one call; and the cosine of the int8 vectors with the fp32 ones;
* the digests of ``extractive`` with fp32 and with int8 MiniLM on both data sets: how many digest
  sentences differ.

The int8 conversion is made before anything is timed (it is a once-per-machine cost).

    python benchmarks/bench_pipeline.py --data ../shared/data/multiling2011-en/clusters.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load_s", "embed_s", "summarize_s", "select_s", "conflicts_s", "fuse_s")


def timed_run(tree: Path, data: str, config: str, out: Path, cache: Path) -> dict:
    """One ``summarizer run`` in a fresh interpreter: wall seconds, peak RSS, summed stage timings."""
    env = {**os.environ, "PYTHONPATH": str(tree), "SUMMARIZER_CACHE": str(cache)}
    command = [sys.executable, "-m", "summarizer", "run", data, "--config", config, "--quiet", "--output", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command} failed in {tree}: {process.stderr.read().decode()[-2000:]}")
    digests = [json.loads(p.read_text()) for p in sorted(out.rglob("digest.json"))]
    stages = {name: sum(d["timings"].get(name, 0.0) for d in digests) for name in STAGES}
    stages["load_s"] = digests[0]["timings"]["load_s"]  # loaded once, recorded in every digest
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "clusters": len(digests), "stages": stages, "digests": digests}


def baseline_tree(rev: str, folder: Path) -> Path:
    """The files of ``rev`` in ``folder`` (``git archive``), to run today's code unchanged."""
    archive = folder / "baseline.tar"
    with archive.open("wb") as handle:
        subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=handle, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "tree", filter="data")
    return folder / "tree"


def per_article(data: list[Path]) -> list[list[str]]:
    """Each article's LexRank sentences, for every article of every source."""
    from summarizer.config import DataSettings
    from summarizer.data import clusters, load_articles
    from summarizer.summarize import body_sentences

    return [body_sentences(a.text) for source in data for articles in clusters(load_articles(str(source), DataSettings())).values() for a in articles]


def embedding_paths(data: list[Path], cache: Path) -> None:
    from summarizer.fuse.embed import MiniLMEmbedder
    from summarizer.fuse.int8_embed import MiniLMInt8Embedder

    articles = per_article(data)
    texts = list(dict.fromkeys(s for article in articles for s in article))  # distinct, in order
    fp32, int8 = MiniLMEmbedder(), MiniLMInt8Embedder(converted_folder=cache / "ctranslate2")
    rates = {}
    start = time.perf_counter()
    for article in articles:
        fp32.encode(article)
    rates["fp32, one call per article (today's LexRank)"] = sum(map(len, articles)) / (time.perf_counter() - start)
    start = time.perf_counter()
    reference = fp32.encode(texts)
    rates["fp32, one call"] = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    fast = int8.encode(texts)
    rates["int8 (CTranslate2), one call"] = len(texts) / (time.perf_counter() - start)
    base = rates["fp32, one call"]
    print(f"\nembedding paths on {len(texts)} distinct sentences:")
    for name, rate in rates.items():
        print(f"  {name:48s} {rate:7.0f} sentences/s  {rate / base:5.2f}x fp32 one call")
    cosine = (fast * reference).sum(axis=1)
    print(f"  int8 vs fp32 cosine: mean {cosine.mean():.4f}, min {cosine.min():.4f}, share >= 0.99: {(cosine >= 0.99).mean():.1%}")


def digest_differences(data: list[Path], cache: Path) -> None:
    from summarizer.config import load_config
    from summarizer.pipeline import run

    print("\nextractive digests, int8 vs fp32 MiniLM:")
    for source in data:
        results = {}
        for embedder in ("minilm", "minilm-int8"):
            config = load_config("extractive", [f"fusion.embedder={embedder}", f"model.converted_folder={cache / 'ctranslate2'}"])
            results[embedder] = run(str(source), config, progress=False)
        same = changed = total = 0
        for a, b in zip(results["minilm"], results["minilm-int8"]):
            left = {(s.text, s.sources) for s in a.digest}
            right = {(s.text, s.sources) for s in b.digest}
            same += len(left & right)
            changed += len(left ^ right)
            total += len(left)
        print(f"  {source.name}: {len(results['minilm'])} clusters, {total} fp32 digest sentences; {same} identical (text and sources) in int8, {changed} in only one of the two")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/multiling2011-en/clusters.jsonl"))
    parser.add_argument("--kabul", default=str(ROOT.parent / "shared/data/kabul-2021"))
    parser.add_argument("--config", default="extractive")
    parser.add_argument("--baseline-rev", default="a1e4f80", help="the commit measured as today's path")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        folder = Path(tmp)
        trees = {"today": baseline_tree(args.baseline_rev, folder), "new": ROOT}
        cache = folder / "cache"
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        timed_run(ROOT, args.data, args.config, folder / "warm", cache)  # the one-off int8 conversion
        for repeat in range(args.repeats):
            for name, tree in trees.items():
                runs[name].append(timed_run(tree, args.data, args.config, folder / f"{name}-{repeat}", cache))
        best = {name: min(found, key=lambda r: r["wall"]) for name, found in runs.items()}
        print(f"{args.config} over {best['new']['clusters']} clusters of {args.data} (best of {args.repeats}, fresh process each):")
        for name, result in best.items():
            rate = 60 * result["clusters"] / result["wall"]
            stages = result["stages"]
            split = "select_s" in result["digests"][0]["timings"]  # else fuse_s is fusion and conflicts together
            shown = {k: v for k, v in stages.items() if v and not (split and k == "fuse_s")}
            startup = result["wall"] - sum(shown.values())
            parts = ", ".join(f"{k[:-2]} {v / result['wall']:.0%}" for k, v in shown.items())
            print(f"  {name:6s} {rate:6.1f} clusters/min  peak {result['rss_mb']:5.0f} MB  start-up (imports, data, writes) {startup / result['wall']:.0%}, {parts}")
        speedup = best["today"]["wall"] / best["new"]["wall"]
        print(f"  new / today: {speedup:.2f}x clusters per minute, peak memory {best['new']['rss_mb'] / best['today']['rss_mb']:.2f}x")
        sys.path.insert(0, str(ROOT))
        data = [Path(args.data), Path(args.kabul)]
        embedding_paths(data, cache)
        digest_differences(data, cache)


if __name__ == "__main__":
    main()
