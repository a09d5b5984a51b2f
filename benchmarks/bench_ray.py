"""Clusters per minute: the local loop against Ray with one and with two workers, in one run.

Three variants per data set, each over the same clusters with the cache off (every summary is
computed): ``local`` (:func:`summarizer.pipeline.run`), ``ray-1`` (one actor of one CPU, one
CPU left for Ray Data's reads) and ``ray-2`` (two actors of half a CPU each, so two actors fit
a 2-core machine beside the reserved CPU). Every variant runs on one torch thread per process
(``OMP_NUM_THREADS=1``), so local and ray-1 use one core alike and their ratio is Ray's
overhead (the parallel read, actor start, model load in the actor, hand-over); ray-2 uses both
cores, and its scaling efficiency is ``rate(ray-2) / (2 x rate(ray-1))``. The time of
``ray.init`` is printed apart and not counted in the job times. Each variant's wall time
includes reading the source and loading the model. The digests of the three variants are
compared file by file (timings blanked) and the verdict printed.

Data sets: ``duc`` (default), the shipped ``extractive`` config over the 30 DUC 2003 clusters
(``../shared/data/duc2003-task2``), a JSONL file Ray Data reads itself; ``multiling``, the same
over the MultiLing EN clusters; ``distilbart``, a DistilBART-shaped random-weight model
(benchmarks/bench_summarize.py builds it: d_model 1024, 12/6 layers) over synthetic clusters,
with fixed-length output so random weights cannot stop early.

    python benchmarks/bench_ray.py                      # DUC 2003, 30 clusters, about 10 minutes on 2 cores
    python benchmarks/bench_ray.py --sets multiling distilbart --clusters 6

Machines are shared: compare the variants of one run (ratios), not absolute seconds across runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch loads: one thread in every process, Ray's actors included

import argparse
import difflib
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from machine import cpu_name  # noqa: E402
DATA = ROOT.parent / "shared" / "data"
SOURCES = {"duc": DATA / "duc2003-task2" / "clusters.jsonl", "multiling": DATA / "multiling2011-en" / "clusters.jsonl"}
TIMINGS = re.compile(r'"timings": \{[^}]*\}|(\w+_s) \d+\.\d+ s')  # digest.json's and the page footer's stage timings


def synthetic_clusters(path: Path, clusters: int, per_cluster: int, tokens: int) -> Path:
    """A JSONL file of ``clusters`` clusters of ``per_cluster`` articles of about ``tokens`` tokens."""
    from bench_summarize import articles

    texts = articles(clusters * per_cluster, tokens)
    with path.open("w") as handle:
        for c in range(clusters):
            docs = [{"doc_id": f"c{c}-a{a}", "title": f"Report {a}", "text": texts[c * per_cluster + a]} for a in range(per_cluster)]
            handle.write(json.dumps({"cluster_id": f"cluster-{c}", "documents": docs}) + "\n")
    return path


def first_clusters(source: Path, clusters: int, path: Path) -> Path:
    """The first ``clusters`` lines of a clusters file, as a file of their own (not ``data.limit``,
    which keeps the read on the driver: Ray Data reads this file itself)."""
    lines = source.read_text(encoding="utf-8").splitlines()[:clusters]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def setups(names: list[str], work: Path, clusters: int | None) -> dict[str, tuple[Path, str, list[str]]]:
    """Data set name -> (source, shipped config, overrides)."""
    found = {}
    for name in ("duc", "multiling"):
        if name in names:
            source = SOURCES[name] if clusters is None else first_clusters(SOURCES[name], clusters, work / f"{name}.jsonl")
            found[name] = (source, "extractive", [])
    if "distilbart" in names:
        from bench_summarize import build

        model = build("distilbart", work / "distilbart")
        source = synthetic_clusters(work / "clusters.jsonl", clusters or 6, per_cluster=3, tokens=300)
        found["distilbart"] = (source, "default", [f"model.name={model}", "model.on_load_failure=error", "length.min_new_tokens=30",
                                                   "length.max_new_tokens=30", "length.num_beams=1", "fusion.min_sentence_words=1"])
    return found


def digest_files(folder: Path) -> dict[str, str]:
    """Every digest file and the index page under ``folder``, timings blanked."""
    return {str(p.relative_to(folder)): TIMINGS.sub("", p.read_text(encoding="utf-8"))
            for p in sorted([*folder.rglob("digest.*"), *folder.glob("index.html")])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["duc"], choices=["duc", "multiling", "distilbart"])
    parser.add_argument("--clusters", type=int, help="clusters per data set (default: all; distilbart: 6)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import ray

    from summarizer import load_config, run
    from summarizer.config import EngineSettings
    from summarizer.engine import run_on_ray

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
        print(f"{cpu_name()}, {os.cpu_count()} cores; ray.init: {time.perf_counter() - started:.1f} s (not counted below); "
              f"load average {os.getloadavg()[0]:.1f}")
        variants = {
            "local": lambda s, c, o: run(s, c, output=o, progress=False),
            "ray-1": lambda s, c, o: run_on_ray(s, c, output=o, progress=False, settings=EngineSettings(workers=1)),
            "ray-2": lambda s, c, o: run_on_ray(s, c, output=o, progress=False, settings=EngineSettings(workers=2, cpus_per_worker=0.5)),
        }
        print(f"{'data set':<11} {'variant':<7} {'clusters':>8} {'articles':>8} {'wall s':>8} {'clusters/min':>12} {'s/article':>9}")
        for name, (source, base, overrides) in setups(args.sets, work, args.clusters).items():
            config = load_config(base, [*overrides, "cache.enabled=false"])
            rates, files = {}, {}
            for variant, call in variants.items():
                start = time.perf_counter()
                digests = call(source, config, work / f"{name}-{variant}")
                wall = time.perf_counter() - start
                count = sum(len(d.articles) for d in digests)
                rates[variant] = len(digests) / wall * 60
                files[variant] = digest_files(work / f"{name}-{variant}")
                print(f"{name:<11} {variant:<7} {len(digests):>8} {count:>8} {wall:>8.1f} {rates[variant]:>12.2f} {wall / count:>9.2f}")
            differ = {v: [f for f in files["local"] if files[v].get(f) != files["local"][f]] for v in files}
            print(f"{name:<11} Ray overhead at one worker: local/ray-1 = {rates['local'] / rates['ray-1']:.2f}x; "
                  f"scaling efficiency at two: ray-2/(2 x ray-1) = {rates['ray-2'] / (2 * rates['ray-1']):.0%}; "
                  f"digests identical to local: {'no' if any(differ.values()) else 'yes'} ({len(files['local'])} files)")
            for variant, names in differ.items():
                if names:
                    print(f"  {variant} differs in {len(names)} files, first {names[0]}:")
                    diff = difflib.unified_diff(files["local"][names[0]].splitlines(), files[variant].get(names[0], "").splitlines(), lineterm="", n=0)
                    print("\n".join(f"    {line[:160]}" for line in list(diff)[2:12]))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (other processes share the cores: ray-2 scales only onto an idle second core)")
        ray.shutdown()


if __name__ == "__main__":
    main()
