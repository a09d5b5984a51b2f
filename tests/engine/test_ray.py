"""``run --ray`` and ``compare --ray``: the digests (and scores) of a local run, byte for byte,
from a Ray Data actor pool.

A local Ray starts in-process once per module (``ray.init(num_cpus=2)``: the 2-core machine
the pool sizing must respect) and is shut down afterwards. Each test runs the local path and
the Ray path with separate summary caches, so neither reads the other's summaries.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from summarizer import load_config, run
from summarizer.cli import main
from summarizer.config import EngineSettings, default_cache_root
from summarizer.engine import RAY_INSTALL, pool_size, run_on_ray
from summarizer.errors import ConfigError
from summarizer.output import safe_name
from tests.shared_data import KABUL, MULTILING, needs_shared_data
from tests.stories.conftest import feed  # noqa: F401  (the small mixed feed fixture, for the --stories test)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kabul-2021"
CLUSTERS = ROOT / "examples" / "clusters.jsonl"
SOURCES = {"example": EXAMPLE, "kabul": KABUL, "multiling": MULTILING}
TIMINGS = re.compile(r'"timings": \{[^}]*\}')
HTML_TIMINGS = re.compile(r"(\w+_s) \d+\.\d+ s")  # the page footer's stage timings


@pytest.fixture(scope="module")
def local_ray():
    import ray  # the ray extra is in requirements.lock: a missing one is a broken install, not a skip

    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    yield ray
    ray.shutdown()


def _tiny_config(folder: Path, *more: str):
    return load_config("default", [f"model.name={folder}", "model.on_load_failure=error", "length.min_new_tokens=4",
                                   "length.max_new_tokens=8", "length.num_beams=1", "fusion.min_sentence_words=1", *more])


def _files(folder: Path) -> dict[str, str]:
    """Every digest file under ``folder`` by relative path, with the timings blanked (they differ run to run)."""
    return {str(p.relative_to(folder)): _untimed(p) for p in sorted([*folder.rglob("digest.*"), *folder.glob("index.html")])}


def _untimed(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return TIMINGS.sub('"timings": {}', text) if path.suffix != ".html" else HTML_TIMINGS.sub(r"\1 s", text)


def _local(source, config, out: Path, cache: Path, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("SUMMARIZER_CACHE", str(cache))
    run(source, config, output=out, progress=False)
    return _files(out)


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n == "example" else needs_shared_data) for n in SOURCES])
@pytest.mark.parametrize("method", ["extractive", "tiny-bart"])
def test_ray_digests_are_byte_identical_to_local_ones(name, method, local_ray, request, tmp_path, monkeypatch):
    source = SOURCES[name]
    limit = ["data.limit=3"] if name == "multiling" else []  # 3 of the 10 clusters keep the module near a minute
    if method == "extractive":
        config = load_config("extractive", limit)
    else:
        request.getfixturevalue("one_torch_thread")
        config = _tiny_config(request.getfixturevalue("tiny_bart"), *limit)
    expected = _local(source, config, tmp_path / "local", tmp_path / "local-cache", monkeypatch)
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "ray-cache"))
    stats: dict[str, int] = {}
    digests = run_on_ray(source, config, output=tmp_path / "ray", progress=False, stats=stats)
    assert _files(tmp_path / "ray") == expected
    assert len(expected) == 3 * len(digests) + (len(digests) > 1) and len(digests) == (3 if name == "multiling" else 1)
    assert stats["reused"] == 0 and stats["summarized"] == sum(len(d.articles) for d in digests)
    if method == "tiny-bart":  # the actors filled the driver's cache folder, one entry per article
        assert len(_entries(tmp_path / "ray-cache")) == stats["summarized"]


def _entries(cache: Path) -> list[Path]:
    """The per-article summaries in a cache folder (``<2 hex digits>/<key>.json``; the folder also holds converted models)."""
    return list(cache.glob("??/*.json"))


def _actor_pids(actor: str = "ClusterDigester") -> list[int]:
    """Processes of this test's own Ray actors (descendants of this process) that run ``actor``."""
    import psutil

    pids = []
    for process in psutil.Process().children(recursive=True):
        try:
            if actor in " ".join(process.cmdline()):
                pids.append(process.pid)
        except psutil.Error:  # ended, or a zombie (the killed actor before Ray reaps it)
            continue
    return pids


@needs_shared_data
def test_a_killed_actor_costs_no_finished_summary_and_changes_no_digest(local_ray, tiny_bart, one_torch_thread, tmp_path, monkeypatch):
    """The actor dies (SIGKILL, as in a crash) mid-run; Ray restarts it and the job completes with
    the local run's digests, no entry the dead actor stored is written again, and a rerun
    recomputes nothing."""
    source, config = SOURCES["multiling"], _tiny_config(tiny_bart, "model.batch_size=2")
    expected = _local(source, config, tmp_path / "local", tmp_path / "local-cache", monkeypatch)
    cache = tmp_path / "ray-cache"
    monkeypatch.setenv("SUMMARIZER_CACHE", str(cache))
    stats: dict[str, int] = {}
    job = threading.Thread(target=run_on_ray, args=(source, config), kwargs={"output": tmp_path / "ray", "progress": False, "stats": stats})
    stored, replacements = _kill_one_actor_midway(job, cache, "ClusterDigester")
    assert stats, "the job ended without its statistics"
    assert _files(tmp_path / "ray") == expected
    rewritten = [p.name for p, mtime in stored.items() if p.stat().st_mtime_ns != mtime]
    assert not rewritten, f"{len(rewritten)} of {len(stored)} stored summaries were computed again"  # nothing finished was recomputed
    assert replacements, "no new actor was seen finishing the job"
    assert len(_entries(cache)) > len(stored)  # ... and it summarized what the dead one had not
    rerun: dict[str, int] = {}
    run_on_ray(source, config, output=tmp_path / "ray", progress=False, stats=rerun)
    assert rerun["summarized"] == 0 and rerun["reused"] == len(_entries(cache)) == 100
    assert _files(tmp_path / "ray") == expected


def _without_work(comparison: dict) -> dict:
    """A comparison without ``summarized_articles``: the articles the model summarized in this
    run, which a run resumed after a crash counts fewer of (the rest come from the cache)."""
    for config in comparison["configs"]:
        config["averages"].pop("summarized_articles")
        for cluster in config["per_cluster"]:
            cluster["metrics"].pop("summarized_articles")
    return comparison


def _kill_one_actor_midway(job: threading.Thread, cache: Path, actor: str) -> tuple[dict[Path, int], set[int]]:
    """Start ``job``, SIGKILL its one ``actor`` once 15 summaries are cached, and wait for the
    job to end: the cache entries stored when the actor died (with their times) and the pids
    of the actors that took over."""
    import signal

    job.start()
    deadline = time.monotonic() + 300
    while len(_entries(cache)) < 15 and time.monotonic() < deadline:  # some clusters done, one in progress
        time.sleep(0.05)
    pids = _actor_pids(actor)
    assert len(pids) == 1, pids  # the 2-CPU cluster holds one actor, one CPU left for reads
    os.kill(pids[0], signal.SIGKILL)
    stored = {p: p.stat().st_mtime_ns for p in _entries(cache)}
    replacements: set[int] = set()
    while job.is_alive():  # the actors that took over, seen while they work
        replacements.update(set(_actor_pids(actor)) - set(pids))
        job.join(timeout=0.05)
        assert time.monotonic() < deadline + 600, "the job did not complete after the actor was killed"
    return stored, replacements


@needs_shared_data
def test_compare_on_ray_survives_a_killed_actor(local_ray, tiny_bart, one_torch_thread, tmp_path, monkeypatch):
    """``compare --ray``'s actor dies (SIGKILL) mid-run: the comparison completes with the local
    comparison's numbers and digests, and no summary the dead actor stored is computed again."""
    from summarizer.compare import compare
    from summarizer.config import CompareSettings
    from summarizer.engine import compare_on_ray

    source = SOURCES["multiling"]
    configs = [("tiny", _tiny_config(tiny_bart, "model.batch_size=2")),
               ("tiny-short", _tiny_config(tiny_bart, "model.batch_size=2", "fusion.max_words=20"))]  # shares the summaries
    settings = CompareSettings(resamples=200)
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "local-cache"))
    expected = _untimed_json(compare(source, configs, settings, progress=False).to_json())
    cache = tmp_path / "ray-cache"
    monkeypatch.setenv("SUMMARIZER_CACHE", str(cache))
    result: dict = {}

    def job_body():
        try:
            result["comparison"] = compare_on_ray(source, configs, settings, progress=False)
        except BaseException as exc:  # noqa: BLE001  (shown by the assertion below)
            result["error"] = exc

    stored, replacements = _kill_one_actor_midway(threading.Thread(target=job_body), cache, "ComparisonDigester")
    assert "comparison" in result, f"the comparison failed after the actor was killed: {result.get('error')!r}"
    assert _without_work(_untimed_json(result["comparison"].to_json())) == _without_work(expected)
    rewritten = [p.name for p, mtime in stored.items() if p.stat().st_mtime_ns != mtime]
    assert not rewritten, f"{len(rewritten)} of {len(stored)} stored summaries were computed again"
    assert replacements, "no new actor was seen finishing the comparison"
    assert len(_entries(cache)) == 100  # every article summarized once, for both configs


# --- Ray Data reading a table source in parallel ---------------------------------------------


def _feed(folder: Path) -> Path:
    """The bundled ``examples/clusters.jsonl`` as a feed of three JSONL files of single
    articles, one cluster spanning two files, with an exact duplicate and an empty article."""
    rows = [{"cluster_id": cluster["cluster_id"], **document, "reference": cluster["references"][0]}
            for cluster in map(json.loads, CLUSTERS.read_text(encoding="utf-8").splitlines()) for document in cluster["documents"]]
    kabul = [row for row in rows if row["cluster_id"] == "kabul-2021"]
    rest = rows[len(kabul):]
    folder.mkdir()
    parts = [kabul[:3], [*kabul[3:], {**kabul[0], "doc_id": "copy"}, {**kabul[1], "doc_id": "blank", "text": " \n "}, *rest[:2]], rest[2:]]
    for number, part in enumerate(parts):
        (folder / f"part-{number}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in part), encoding="utf-8")
    return folder


def test_ray_data_reads_a_folder_of_jsonl_into_the_local_digests(local_ray, tmp_path, monkeypatch, caplog):
    """The shipped ``extractive`` config (cache on): the driver never reads an article (its
    loader fails if called), Ray Data reads the three files, and the digests, the index page and
    the warnings about the skipped articles and the stray file are the local run's."""
    from summarizer.engine import ray as engine

    feed = _feed(tmp_path / "feed")
    (feed / "notes.pdf").write_bytes(b"%PDF-1.4")  # beside the tables: skipped with a warning, and counted
    config = load_config("extractive")
    with caplog.at_level("WARNING", logger="summarizer"):
        expected = _local(feed, config, tmp_path / "local", tmp_path / "local-cache", monkeypatch)
    local_warnings = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    caplog.clear()
    reads: list = []
    read_files = local_ray.data.read_binary_files
    monkeypatch.setattr(local_ray.data, "read_binary_files", lambda paths, **kwargs: reads.append(paths) or read_files(paths, **kwargs))

    def driver_read(*args, **kwargs):
        raise AssertionError("the driver read the articles")

    monkeypatch.setattr(engine, "load_groups", driver_read)
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "ray-cache"))
    with caplog.at_level("WARNING", logger="summarizer"):
        digests = run_on_ray(feed, config, output=tmp_path / "ray", progress=False)
    assert [[Path(p).name for p in paths] for paths in reads] == [["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"]]
    assert [d.cluster_id for d in digests] == ["kabul-2021", "suez-2021"]
    assert _files(tmp_path / "ray") == expected and "index.html" in expected
    assert sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING") == local_warnings
    assert any("'copy' duplicates" in m for m in local_warnings) and any("'blank' is empty" in m for m in local_warnings)
    assert any("notes.pdf: skipped" in m for m in local_warnings)
    assert any(m.startswith("skipped 3 inputs in all") for m in local_warnings)


@pytest.mark.parametrize("breakage", ["a broken line", "no text column", "nothing usable"])
def test_bad_input_read_by_ray_data_is_the_local_error(breakage, local_ray, tmp_path):
    """An error raised on a Ray worker reaches the user as the local run's message, naming the file."""
    from summarizer.data import load_articles
    from summarizer.errors import InputError

    feed = _feed(tmp_path / "feed")
    if breakage == "a broken line":
        with (feed / "part-1.jsonl").open("a", encoding="utf-8") as handle:
            handle.write('{"doc_id": "cut", "text": "half a rec\n')
    elif breakage == "no text column":
        (feed / "part-2.jsonl").write_text(json.dumps({"doc_id": "x", "body": "no text field"}) + "\n", encoding="utf-8")
    else:
        for part in feed.iterdir():
            part.write_text(json.dumps({"cluster_id": part.stem, "text": "   "}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as local:
        load_articles(feed)
    with pytest.raises(InputError) as on_ray:
        run_on_ray(feed, load_config("lead"), progress=False)
    assert str(on_ray.value) == str(local.value)
    assert ("part-1.jsonl" in str(local.value)) if breakage == "a broken line" else True


def test_which_sources_ray_data_reads(tmp_path):
    """Tables and folders of tables go to Ray Data; article folders, feeds to group into
    stories (every article at once) and ``data.limit`` (the first N of a stream) stay on the driver."""
    from summarizer.config import DataSettings
    from summarizer.data import table_sources

    feed = _feed(tmp_path / "feed")
    assert table_sources(feed, DataSettings()) == sorted(feed.iterdir())
    assert table_sources(CLUSTERS, DataSettings()) == [CLUSTERS]
    assert table_sources(EXAMPLE, DataSettings()) is None
    assert table_sources(feed, DataSettings(stories=True)) is None
    assert table_sources(CLUSTERS, DataSettings(limit=1)) is None


@pytest.mark.parametrize("resources, settings, expected", [
    ({"CPU": 2.0}, EngineSettings(), (1, 1.0, 0.0)),  # the 2-core machine: one actor, one CPU for reads
    ({"CPU": 16.0}, EngineSettings(), (15, 1.0, 0.0)),
    ({"CPU": 16.0}, EngineSettings(cpus_per_worker=4), (3, 4.0, 0.0)),
    ({"CPU": 2.0}, EngineSettings(workers=2, cpus_per_worker=0.5), (2, 0.5, 0.0)),
    ({"CPU": 32.0, "GPU": 4.0}, EngineSettings(), (4, 1.0, 1.0)),  # GPUs bound the pool
    ({"CPU": 32.0, "GPU": 4.0}, EngineSettings(gpus_per_worker=0.5), (8, 1.0, 0.5)),
])
def test_pool_size_leaves_cpu_for_reads_and_follows_gpus(resources, settings, expected):
    assert pool_size(resources, settings) == expected


@pytest.mark.parametrize("resources, settings", [
    ({"CPU": 2.0}, EngineSettings(workers=2)),  # both cores held by actors: the deadlock the issue saw
    ({"CPU": 1.0}, EngineSettings()),
    ({"CPU": 8.0, "GPU": 0.0}, EngineSettings(gpus_per_worker=1)),
])
def test_pool_size_refuses_a_pool_that_does_not_fit(resources, settings):
    with pytest.raises(ConfigError, match="do not fit"):
        pool_size(resources, settings)


@pytest.mark.parametrize("command", [["run", "-c", "lead"], ["compare", "--configs", "lead", "extractive"]])
def test_ray_flag_without_ray_exits_2_with_the_install_command(command, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    result = CliRunner().invoke(main, [command[0], str(EXAMPLE), *command[1:], "-q", "-o", str(tmp_path), "--ray"])
    assert result.exit_code == 2
    assert RAY_INSTALL in result.output
    assert not list(tmp_path.iterdir())  # refused before any work


def test_the_local_path_never_imports_ray(tmp_path):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom summarizer.cli import main\n"
        f"r = CliRunner().invoke(main, ['run', {str(EXAMPLE)!r}, '-c', 'lead', '-q', '--set', 'fusion.embedder=tfidf', '-o', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(main, ['compare', {str(EXAMPLE)!r}, '-C', 'lead', '-q', '--set', 'fusion.embedder=tfidf', '-o', {str(tmp_path / 'compare')!r}])\n"
        "assert r.exit_code == 0, r.output\nprint(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert json.loads((tmp_path / "digest.json").read_text())["method"] == "lead"
    assert (tmp_path / "compare" / "compare.json").is_file()


def test_cli_ray_run_writes_the_digest(local_ray, tmp_path):
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "-c", "lead", "-q", "--set", "fusion.embedder=tfidf", "-o", str(tmp_path), "--ray"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Digest: kabul-2021")
    assert json.loads((tmp_path / "digest.json").read_text())["cluster_id"] == "kabul-2021"


COMPARE_TIMINGS = ("summarize_s", "words_per_s")  # compare.json's metrics that time the run


def _untimed_comparison(folder: Path) -> dict:
    """compare.json without its timings: the digests' stage timings and the metrics made of them."""
    return _untimed_json(json.loads((folder / "compare.json").read_text(encoding="utf-8")))


def _untimed_json(data: dict) -> dict:
    """A comparison's JSON (:meth:`Comparison.to_json`) without its timings."""
    for config in data["configs"]:
        for name in COMPARE_TIMINGS:
            config["averages"].pop(name)
        for cluster in config["per_cluster"]:
            cluster.pop("timings")
            for name in COMPARE_TIMINGS:
                cluster["metrics"].pop(name)
    return data


def _compare_configs(method: str, folder: Path, request) -> tuple[Path, list[str]]:
    """The source and ``--configs`` of a comparison; the second config shares the first one's summaries."""
    if method == "lead":  # two clusters with references (ROUGE, intervals, paired tests); no model to load
        (folder / "lead-short.yaml").write_text("model: {method: lead}\nfusion: {max_words: 60}\n", encoding="utf-8")
        return ROOT / "examples" / "clusters.jsonl", ["lead", str(folder / "lead-short.yaml"), "extractive"]
    request.getfixturevalue("one_torch_thread")
    tiny = {"model": {"name": str(request.getfixturevalue("tiny_bart")), "on_load_failure": "error"},
            "length": {"min_new_tokens": 4, "max_new_tokens": 8, "num_beams": 1}, "fusion": {"min_sentence_words": 1}}
    (folder / "tiny.yaml").write_text(json.dumps(tiny), encoding="utf-8")  # JSON is YAML
    (folder / "tiny-short.yaml").write_text(json.dumps({**tiny, "fusion": {"min_sentence_words": 1, "max_words": 20}}), encoding="utf-8")
    return EXAMPLE, [str(folder / "tiny.yaml"), str(folder / "tiny-short.yaml")]


@pytest.mark.parametrize("method", ["lead", "tiny-bart"])
def test_cli_ray_compare_gives_the_local_comparison(method, local_ray, request, tmp_path, monkeypatch):
    """The second config shares the first one's summaries, which must stay shared on the actor:
    the same summarized_articles (for tiny-bart, the second config reads them from the on-disk
    cache the first one filled)."""
    source, configs = _compare_configs(method, tmp_path, request)
    args = ["compare", str(source), "--configs", *configs, "-q", "--resamples", "200", "--set", "fusion.embedder=tfidf"]
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "local-cache"))
    local = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "local")], catch_exceptions=False)
    assert local.exit_code == 0, local.output
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "ray-cache"))
    on_ray = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "ray"), "--ray-workers", "1", "--ray"], catch_exceptions=False)
    assert on_ray.exit_code == 0, on_ray.output
    expected = _untimed_comparison(tmp_path / "local")
    assert [c["name"] for c in expected["configs"]] == [Path(c).stem for c in configs]
    assert expected["configs"][1]["shares_summaries_with"] == expected["configs"][0]["name"]
    assert len(expected["paired_tests"]) == (2 if method == "lead" else 0)  # the example has no references
    assert _untimed_comparison(tmp_path / "ray") == expected
    digests = _files(tmp_path / "local" / "digests")
    assert len(digests) == 3 * len(expected["clusters"]) * len(configs)  # three files per config and cluster
    assert _files(tmp_path / "ray" / "digests") == digests


def test_a_bucket_uri_gets_the_same_files_as_a_local_folder(tmp_path, monkeypatch):
    """The bucket branch of the writer, with pyarrow's local file system standing in for S3."""
    from pyarrow import fs

    from summarizer import Digest
    from summarizer.engine import ray as engine
    from summarizer.output import digest_files

    digest = Digest(cluster_id="c1", config={}, model="m", method="lead", articles=[], digest=[], timings={})
    class Bucket:  # FileSystem.from_uri, resolving s3://bucket/... under tmp_path
        @staticmethod
        def from_uri(uri):
            return fs.LocalFileSystem(), str(tmp_path / uri.split("://")[1])

    monkeypatch.setattr(fs, "FileSystem", Bucket)
    engine._write(digest, "s3://bucket/digests", total=2)
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "bucket" / "digests" / "c1").iterdir()}
    assert written == digest_files(digest, back="../index.html")
    engine._write_index([digest], "s3://bucket/digests")
    assert "c1/digest.html" in (tmp_path / "bucket" / "digests" / "index.html").read_text(encoding="utf-8")


# --- lost clusters and thread budgets, without starting Ray -----------------------------------


class _NoRay:
    """Stands in for the ``ray`` module where only its initialisation and Data's context are asked about."""

    data = SimpleNamespace(DataContext=SimpleNamespace(get_current=lambda: SimpleNamespace()))

    @staticmethod
    def is_initialized() -> bool:
        return True


def _pool_losing(lost: set[str]):
    """An ``_over_pool`` that runs the real actor in this process but never returns the clusters
    in ``lost``; its rows are the driver's clusters themselves (:func:`_rows_in_process`)."""

    def over_pool(ray, clusters, actor, kwargs, settings):
        worker = actor(**kwargs, cache_folder=str(default_cache_root()), cpus=1.0)
        grouped, ids = clusters.rows, clusters.ids
        rows = (
            worker({"index": [i], "cluster_id": [cid], "articles": [pickle.dumps(grouped[cid])]})
            for i, cid in enumerate(ids) if cid not in lost
        )
        return 1, ({name: values[0] for name, values in row.items()} for row in rows)

    return over_pool


def _rows_in_process(ray, groups):
    """``from_groups`` without Ray: the driver's clusters as they are."""
    from summarizer.engine.read import RayClusters

    return RayClusters(list(groups.clusters), groups.clusters, groups.stories, groups.folders)


@pytest.fixture
def losing_pool(monkeypatch, tmp_path):
    """Ray replaced by a pool that loses the cluster ``second`` of ``examples/clusters.jsonl``."""
    from summarizer.engine import ray as engine

    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "require_ray", lambda: _NoRay)
    monkeypatch.setattr(engine, "use_threads", lambda cpus: int(cpus))  # the test process keeps its threads
    ids = [json.loads(line)["cluster_id"] for line in CLUSTERS.read_text(encoding="utf-8").splitlines()]
    monkeypatch.setattr(engine, "_over_pool", _pool_losing({ids[1]}))
    monkeypatch.setattr(engine, "from_groups", _rows_in_process)
    monkeypatch.setattr(engine, "table_sources", lambda source, settings: None)  # the driver reads, as without Ray Data
    return ids


FAST = ("-q", "--set", "fusion.embedder=tfidf")


def test_run_on_ray_that_loses_a_cluster_names_it_and_exits_1(losing_pool, tmp_path):
    result = CliRunner().invoke(main, ["run", str(CLUSTERS), "-c", "lead", *FAST, "-o", str(tmp_path / "out"), "--ray"])
    assert result.exit_code == 1, result.output
    assert f"1 of {len(losing_pool)} clusters never came back" in result.stderr and repr(losing_pool[1]) in result.stderr
    written = sorted(p.parent.name for p in (tmp_path / "out").rglob("digest.md"))
    assert written == sorted(safe_name(c) for c in losing_pool if c != losing_pool[1])  # what came back is kept
    assert "digest.html" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_compare_on_ray_that_loses_a_cluster_averages_nothing_and_exits_1(losing_pool, tmp_path):
    result = CliRunner().invoke(main, ["compare", str(CLUSTERS), "--configs", "lead", *FAST, "-o", str(tmp_path / "cmp"), "--ray"])
    assert result.exit_code == 1, result.output
    assert repr(losing_pool[1]) in result.stderr and "no scores" in result.stderr
    assert not (tmp_path / "cmp" / "compare.json").exists()


class _RecordingRay:
    """A ``ray`` module whose Data pipeline records what the pool is asked for."""

    def __init__(self, cpus: float):
        self.asked: dict = {}
        self.data = SimpleNamespace(ActorPoolStrategy=lambda **kwargs: kwargs)
        self.rows = SimpleNamespace(map_batches=self._map_batches)
        self.cluster_resources = lambda: {"CPU": cpus}

    def _map_batches(self, actor, **kwargs):
        self.asked = kwargs
        return SimpleNamespace(iter_rows=lambda: iter(()))


def test_each_actor_is_given_its_cpus_as_its_thread_budget():
    from summarizer.engine import ray as engine

    fake = _RecordingRay(cpus=16)
    from summarizer.engine.read import RayClusters

    workers, _ = engine._over_pool(fake, RayClusters(["c"], fake.rows, None, 1), engine.ClusterDigester, {}, EngineSettings(cpus_per_worker=4))
    assert workers == 3 and fake.asked["num_cpus"] == 4 and fake.asked["fn_constructor_kwargs"]["cpus"] == 4


@pytest.mark.parametrize("cpus, threads", [(1, 1), (0.5, 1), (2.5, 3), (4, 4)])
def test_a_thread_budget_holds_for_torch_and_ctranslate2(cpus, threads, monkeypatch, one_torch_thread):
    import torch

    from summarizer import threads as budget
    from summarizer.summarize import ct2

    monkeypatch.setenv("OMP_NUM_THREADS", "")  # restored after the test
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)))  # a 16-core node
    assert budget.use_threads(cpus) == threads
    assert torch.get_num_threads() == threads and budget.cores() == threads
    workers, per_worker = ct2._threads("cpu", 64)
    assert workers * per_worker == threads  # not the node's 16 cores


@needs_shared_data
def test_a_feed_grouped_into_stories_on_ray_gives_the_local_stories_and_digests(feed, local_ray, tmp_path, monkeypatch):
    """``run FEED --stories --ray``: the driver groups, the pool digests; ``stories.json``, the
    index and every story's digest are the local run's."""
    articles, _ = feed
    source = tmp_path / "feed.jsonl"
    source.write_text("".join(json.dumps({"doc_id": a.doc_id, "title": a.title, "text": a.text}, ensure_ascii=False) + "\n" for a in articles),
                      encoding="utf-8")
    args = ["run", str(source), "--stories", "-c", "lead", "--set", "data.language=null", "--set", "fusion.embedder=tfidf", "-q"]
    runs = {}
    for name, more in (("local", []), ("ray", ["--ray"])):
        monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / f"{name}-cache"))
        result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / name), *more], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        runs[name] = (json.loads((tmp_path / name / "stories.json").read_text(encoding="utf-8")), _files(tmp_path / name))
    stories, files = runs["local"]
    assert len(stories["stories"]) > 1 and len(files) == 3 * len(stories["stories"]) + 1
    assert runs["ray"] == runs["local"]
