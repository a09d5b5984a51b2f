"""End-to-end throughput: today's code against this tree's, side by side in one run.

Parts, each printed as ratios of variants measured in this one run (never absolute seconds
compared across runs):

* clusters per minute of ``python -m summarizer run FILE --config CONFIG`` in a fresh process,
  for the baseline tree (``--baseline-rev``, extracted with ``git archive``; default: the commit
  this branch started from) and for this tree, alternated ``--repeats`` times; each with its peak
  memory (max RSS of the process) and a per-stage breakdown summed from the digests' timings
  (start-up = wall time minus the stages: imports, reading the data, writing). Each run starts
  with an empty cache folder (summaries and embeddings), sharing only the CTranslate2
  conversions, which are made before anything is timed (a once-per-machine cost);
* the same for the DistilBART-shaped seq2seq side (``configs/default.yaml`` with
  ``model.name`` a random-weight model of DistilBART's shape, built locally by
  ``bench_summarize.build``, so it costs what the real checkpoint costs) over the first
  ``--seq2seq-clusters`` clusters, ``--seq2seq-repeats`` rounds;
* a second run of this tree's ``CONFIG`` over the first run's cache folder: what the on-disk
  embedding cache saves (extractive summaries are never cached, so only the encoding is reused);
* sentences per second of each embedding path on the distinct sentences of the MultiLing and
  Kabul articles: fp32 MiniLM called once per article (today's LexRank), fp32 in one call, int8
  in one call; and the cosine of the int8 vectors with the fp32 ones;
* the digests of ``extractive`` with fp32 and with int8 MiniLM on both data sets: how many digest
  sentences differ.

    python benchmarks/bench_pipeline.py --data ../shared/data/multiling2011-en/clusters.jsonl
    python benchmarks/bench_pipeline.py --only seq2seq --seq2seq-clusters 1   # about 2 minutes
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
from typing import Sequence

sys.path.insert(0, str(Path(__file__).parent))
from machine import cpu_name  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load_s", "embed_s", "summarize_s", "select_s", "conflicts_s", "fuse_s")


def timed_run(tree: Path, data: str, config: str, out: Path, cache: Path, overrides: Sequence[str] = ()) -> dict:
    """One ``summarizer run`` in a fresh interpreter: wall seconds, peak RSS, summed stage timings.

    ``cache`` is the run's cache folder (``SUMMARIZER_CACHE``); ``overrides`` are ``--set`` values."""
    env = {**os.environ, "PYTHONPATH": str(tree), "SUMMARIZER_CACHE": str(cache)}
    sets = [arg for value in overrides for arg in ("--set", value)]
    command = [sys.executable, "-m", "summarizer", "run", data, "--config", config, "--quiet", "--output", str(out), *sets]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command} failed in {tree}: {process.stderr.read().decode()[-2000:]}")
    digests = [json.loads(p.read_text()) for p in sorted(out.rglob("digest.json"))]
    if any(d.get("fallback") for d in digests):
        raise SystemExit(f"{command} in {tree} fell back: {digests[0]['fallback']}")
    stages = {name: sum(d["timings"].get(name, 0.0) for d in digests) for name in STAGES}
    stages["load_s"] = digests[0]["timings"]["load_s"]  # loaded once, recorded in every digest
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "clusters": len(digests), "stages": stages, "digests": digests}


def first_cluster_start(data: str, config: str, cache: Path, overrides: Sequence[str], repeats: int) -> list[float]:
    """Seconds from launching ``summarizer run`` (this tree, a fresh interpreter) to the log line
    that announces the first cluster, which is printed as its work starts, ``repeats`` times;
    each process is stopped there. ``data`` must hold several clusters (one cluster gets a
    progress bar, not that line)."""
    env = {**os.environ, "SUMMARIZER_CACHE": str(cache)}
    sets = [arg for value in overrides for arg in ("--set", value)]
    command = [sys.executable, "-m", "summarizer", "run", data, "--config", config, *sets]
    found = []
    for _ in range(repeats):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        announced = next((time.perf_counter() - start for line in process.stderr if "digesting: cluster 1/" in line), None)
        process.kill()
        process.wait()
        if announced is None:
            raise SystemExit(f"{command} ended without announcing its first cluster")
        found.append(announced)
    return found


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
    from summarizer.text.embed import MiniLMEmbedder
    from summarizer.text.int8_embed import MiniLMInt8Embedder

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
            overrides = [f"fusion.embedder={embedder}", f"model.converted_folder={cache / 'ctranslate2'}", "cache.enabled=false"]
            config = load_config("extractive", overrides)
            results[embedder] = run(str(source), config, progress=False)
        same = changed = total = 0
        for a, b in zip(results["minilm"], results["minilm-int8"]):
            left = {(s.text, s.sources) for s in a.digest}
            right = {(s.text, s.sources) for s in b.digest}
            same += len(left & right)
            changed += len(left ^ right)
            total += len(left)
        print(f"  {source.name}: {len(results['minilm'])} clusters, {total} fp32 digest sentences; {same} identical (text and sources) in int8, {changed} in only one of the two")


def side_by_side(label: str, trees: dict[str, Path], data: str, config: str, overrides: Sequence[str], repeats: int, folder: Path) -> dict:
    """Each tree's ``config`` runs, alternated ``repeats`` times, each from an empty cache folder;
    prints clusters per minute, peak memory and where the time goes; returns the best runs."""
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for repeat in range(repeats):
        for name, tree in trees.items():
            where = folder / f"{label.split()[0]}-{name}-{repeat}"  # "seq2seq-today-0"
            runs[name].append({**timed_run(tree, data, config, where / "out", where / "cache", overrides), "cache": where / "cache"})
    best = {name: min(found, key=lambda r: r["wall"]) for name, found in runs.items()}
    print(f"\n{label}: {config} over {best['new']['clusters']} clusters of {data} (best of {repeats}, fresh process each):")
    for name, result in best.items():
        print(f"  {name:6s} {describe(result)}")
    speedup = best["today"]["wall"] / best["new"]["wall"]
    print(f"  new / today: {speedup:.2f}x clusters per minute, peak memory {best['new']['rss_mb'] / best['today']['rss_mb']:.2f}x")
    return best


def describe(result: dict) -> str:
    """Clusters per minute, peak memory and each stage's share of the wall time of one run."""
    rate = 60 * result["clusters"] / result["wall"]
    split = "select_s" in result["digests"][0]["timings"]  # else fuse_s is fusion and conflicts together
    shown = {k: v for k, v in result["stages"].items() if v and not (split and k == "fuse_s")}
    startup = result["wall"] - sum(shown.values())
    parts = ", ".join(f"{k[:-2]} {v / result['wall']:.0%}" for k, v in shown.items())
    return f"{rate:6.1f} clusters/min  peak {result['rss_mb']:5.0f} MB  start-up (imports, data, writes) {startup / result['wall']:.0%}, {parts}"


def first_clusters(data: str, count: int, folder: Path, articles: int | None = None) -> str:
    """A JSONL file of the first ``count`` clusters of the JSONL ``data`` (the seq2seq side is
    slow), each with its first ``articles`` articles (None: all)."""
    clusters = [json.loads(line) for line in Path(data).read_text(encoding="utf-8").splitlines()[:count]]
    path = folder / f"first-{count}-{articles}.jsonl"
    path.write_text("".join(json.dumps({**c, "documents": c["documents"][:articles]}) + "\n" for c in clusters), encoding="utf-8")
    return str(path)


def distilbart_shaped(folder: Path) -> Path:
    """A random-weight DistilBART-shaped model in ``folder``, built in a child process (so this
    process's peak memory is not handed down to the measured runs)."""
    code = "import sys; from pathlib import Path; import bench_summarize; bench_summarize.build('distilbart', Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT / "benchmarks", check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/multiling2011-en/clusters.jsonl"))
    parser.add_argument("--kabul", default=str(ROOT.parent / "shared/data/kabul-2021"))
    parser.add_argument("--config", default="extractive")
    parser.add_argument("--baseline-rev", default="a1e4f80", help="the commit measured as today's path")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seq2seq-clusters", type=int, default=2, help="clusters of --data (JSONL) for the seq2seq side")
    parser.add_argument("--seq2seq-repeats", type=int, default=1)
    parser.add_argument("--only", choices=["extractive", "seq2seq"], help="measure one side only (and skip the embedding paths)")
    args = parser.parse_args()
    args.data = str(Path(args.data).resolve())  # the baseline runs in its own folder
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        folder = Path(tmp)
        trees = {"today": baseline_tree(args.baseline_rev, folder), "new": ROOT}
        converted = folder / "ctranslate2"  # the one thing runs share: conversions are once per machine
        shared = [f"model.converted_folder={converted}"]
        if args.only != "seq2seq":
            timed_run(ROOT, args.data, args.config, folder / "warm", folder / "warm-cache", shared)  # the int8 MiniLM conversion
            best = side_by_side("extractive", trees, args.data, args.config, shared, args.repeats, folder)
            again = timed_run(ROOT, args.data, args.config, folder / "again", best["new"]["cache"], shared)
            print(f"  new, second run over the first one's cache folder: {describe(again)}")
            print(f"  second run / first run: {best['new']['wall'] / again['wall']:.2f}x clusters per minute (embedding cache)")
            starts = first_cluster_start(args.data, args.config, folder / "start-cache", shared, 5)
            print(f"  new, from the command to the first cluster's start: best {min(starts):.2f} s, median {sorted(starts)[2]:.2f} s of 5"
                  f" ({cpu_name()}, load average {os.getloadavg()[0]:.1f})")
        if args.only != "extractive":
            model = distilbart_shaped(folder / "distilbart-shaped")
            data = first_clusters(args.data, args.seq2seq_clusters, folder)
            seq2seq = [*shared, f"model.name={model}", "model.on_load_failure=error"]
            warm = first_clusters(args.data, 1, folder, articles=2)
            for name, tree in trees.items():  # each tree converts the model its own way, once
                timed_run(tree, warm, "default", folder / f"warm-{name}", folder / f"warm-cache-{name}", seq2seq)
            side_by_side("seq2seq (DistilBART shape, random weights)", trees, data, "default", seq2seq, args.seq2seq_repeats, folder)
        if args.only is None:
            sys.path.insert(0, str(ROOT))
            data = [Path(args.data), Path(args.kabul)]
            embedding_paths(data, converted.parent)
            digest_differences(data, converted.parent)


if __name__ == "__main__":
    main()
