"""summarizer compare: shared summaries, the report files, ROUGE with intervals, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.compare import comparison as compare_module
from summarizer.compare import metrics
from summarizer.compare.comparison import compare
from summarizer.config import CompareSettings, load_config, validate_config
from summarizer.summarize.extractive import LeadSummarizer
from summarizer.summarize.shared import summary_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kabul-2021"
CLUSTERS = ROOT / "examples" / "clusters.jsonl"
TFIDF = ("--set", "fusion.embedder=tfidf")  # no MiniLM load: the fast test tier


def _write_config(folder: Path, name: str, raw: dict) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_summary_key_ignores_fusion_and_irrelevant_generation_settings():
    lead = validate_config({"model": {"method": "lead"}})
    assert summary_key(lead) == summary_key(validate_config({"model": {"method": "lead"}, "length": {"num_beams": 1}, "fusion": {"max_words": 80}}))
    assert summary_key(lead) != summary_key(validate_config({"model": {"method": "lead"}, "length": {"sentences": 5}}))
    extractive = validate_config({"model": {"method": "extractive"}, "fusion": {"embedder": "tfidf"}})
    assert summary_key(extractive) != summary_key(validate_config({"model": {"method": "extractive"}, "fusion": {"embedder": "minilm"}}))
    bart = validate_config({"model": {"name": "facebook/bart-large-cnn"}})
    assert summary_key(bart) == summary_key(validate_config({"model": {"name": "facebook/bart-large-cnn"}, "fusion": {"threshold": 0.6}}))
    assert summary_key(bart) != summary_key(validate_config({"model": {"name": "facebook/bart-large-cnn"}, "length": {"num_beams": 2}}))


def test_configs_differing_only_in_fusion_share_one_summarization(monkeypatch):
    calls = []
    original = LeadSummarizer.summarize

    def counting(self, texts, progress=True, language="en"):
        calls.append(len(texts))
        return original(self, texts, progress, language)

    monkeypatch.setattr(LeadSummarizer, "summarize", counting)
    wide = validate_config({"model": {"method": "lead"}, "fusion": {"embedder": "tfidf"}})
    short = validate_config({"model": {"method": "lead"}, "fusion": {"embedder": "tfidf", "max_words": 60}})
    result = compare(EXAMPLE, [("wide", wide), ("short", short)], CompareSettings(resamples=100), progress=False)
    assert calls == [5]  # one call for the one cluster of five articles, not one per config
    first, second = result.results
    assert second.shares_summaries_with == "wide" and first.shares_summaries_with is None
    assert [a.summary for a in first.digests[0].articles] == [a.summary for a in second.digests[0].articles]
    assert first.per_cluster[0]["summarize_s"] == second.per_cluster[0]["summarize_s"]
    assert second.per_cluster[0]["words"] <= 60 < first.per_cluster[0]["words"]


def test_compare_command_writes_table_report_and_json(tmp_path):
    short = _write_config(tmp_path, "lead-short", {"model": {"method": "lead"}, "fusion": {"max_words": 60}})
    out = tmp_path / "report"
    result = _invoke("compare", EXAMPLE, "--configs", "extractive", "lead", short, "-o", out, "-q", *TFIDF)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"compare.json", "table.csv", "table.md", "report.html", "digests"}

    data = json.loads((out / "compare.json").read_text())
    assert [c["name"] for c in data["configs"]] == ["extractive", "lead", "lead-short"]
    assert data["configs"][2]["shares_summaries_with"] == "lead"
    assert "rouge1" not in data["metrics"]  # the folder has no references: no ROUGE, not zeros
    for config in data["configs"]:
        (cluster,) = config["per_cluster"]
        scores = cluster["metrics"]
        assert scores["words"] == sum(len(s["text"].split()) for s in cluster["digest"]) > 0
        assert scores["faithful_share"] == 1.0  # extractive and lead copy sentences from their sources
        assert scores["novel_1grams"] == 0.0
        # lead copies whole sentences; extractive may shorten one, joining two words at the cut
        assert scores["novel_2grams"] == 0.0 if config["name"] != "extractive" else scores["novel_2grams"] < 0.05
        assert 0 < scores["articles_cited_share"] <= 1
        assert config["averages"]["words"]["mean"] == scores["words"]

    rows = list(csv.DictReader((out / "table.csv").open()))
    assert [r["config"] for r in rows] == ["extractive", "lead", "lead-short"]
    assert float(rows[2]["words_mean"]) <= 60

    page = (out / "report.html").read_text()
    for config in data["configs"]:
        for sentence in config["per_cluster"][0]["digest"]:
            assert _escaped(sentence["text"]) in page
    assert page.count("<summary>Backed by ") == sum(len(c["per_cluster"][0]["digest"]) for c in data["configs"])
    for config in data["configs"]:
        link = f"digests/{config['name']}/kabul-2021/digest.html"
        assert f"href='{link}'" in page and (out / link).is_file()
    assert "| lead-short | lead | lead |" in (out / "table.md").read_text()
    assert "| lead-short | lead | lead |" in result.output


def _escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_compare_on_clusters_with_references_reports_rouge_with_intervals(tmp_path):
    out = tmp_path / "report"
    result = _invoke("compare", CLUSTERS, "--configs", "lead", "extractive", "-o", out, "-q", "--seed", "3", "--resamples", "200", *TFIDF)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "compare.json").read_text())
    assert data["settings"]["seed"] == 3 and data["settings"]["resamples"] == 200
    assert "max over references" in data["metrics"]["rouge2"] and "Porter stemming of words over 3 letters" in data["metrics"]["rougeLsum"]
    assert [c["cluster_id"] for c in data["clusters"]] == ["kabul-2021", "suez-2021"]
    for config in data["configs"]:
        per_cluster = [c["metrics"]["rouge2"] for c in config["per_cluster"]]
        average = config["averages"]["rouge2"]
        assert average["clusters"] == 2
        assert average["mean"] == pytest.approx(sum(per_cluster) / 2, abs=1e-6)
        assert min(per_cluster) <= average["low"] <= average["mean"] <= average["high"] <= max(per_cluster)
        assert 0 < average["mean"] < 1
    table = (out / "table.md").read_text()
    assert "ROUGE-Lsum" in table and "percentile bootstrap interval" in table and " [" in table
    again = tmp_path / "again"
    assert _invoke("compare", CLUSTERS, "--configs", "lead", "extractive", "-o", again, "-q", "--seed", "3", "--resamples", "200", *TFIDF).exit_code == 0
    rouge = lambda folder: [c["averages"]["rouge2"] for c in json.loads((folder / "compare.json").read_text())["configs"]]  # noqa: E731
    assert rouge(out) == rouge(again)  # seeded bootstrap: the same intervals on every run


def test_compare_refuses_configs_that_read_different_data(tmp_path):
    other = _write_config(tmp_path, "lead-limited", {"model": {"method": "lead"}, "data": {"limit": 1}})
    result = CliRunner().invoke(main, ["compare", str(CLUSTERS), "--configs", "lead", str(other), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "same clusters" in result.output and "--limit" in result.output


def test_compare_refuses_repeated_config_names(tmp_path):
    result = CliRunner().invoke(main, ["compare", str(EXAMPLE), "--configs", "lead", "lead", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "given more than once" in result.output


def test_limit_applies_to_every_config(tmp_path):
    comparison = compare_module.compare(
        CLUSTERS,
        [(name, load_config(name, ["data.limit=1", "fusion.embedder=tfidf"])) for name in ("lead", "extractive")],
        CompareSettings(resamples=100),
        progress=False,
    )
    assert [c["cluster_id"] for c in comparison.clusters] == ["kabul-2021"]
    assert all(len(r.digests) == 1 for r in comparison.results)


def test_a_config_that_fell_back_is_named_under_the_table(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the default config's model cannot load: it falls back
    result = CliRunner().invoke(main, ["compare", str(EXAMPLE), "--configs", "lead", "default", "--output", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    table = (tmp_path / "table.md").read_text()
    assert "**Fallback:** `default` could not load `sshleifer/distilbart-cnn-12-6`" in table
    assert "`lead` could not load" not in table


def test_shared_models_keep_the_engine_in_the_cache_key(tiny_bart):
    """int8 and fp32 summaries differ: a comparison must not file them under one cache key."""
    from summarizer.config import load_config
    from summarizer.pipeline import Pipeline
    from summarizer.summarize.shared import SharedModels

    config = load_config("default", [f"model.name={tiny_bart}", "model.on_load_failure=error", "model.backend=transformers"])
    alone, shared = Pipeline(config), Pipeline(config, SharedModels())
    assert shared.cache.identity["engine"] == alone.cache.identity["engine"] == alone.summarizer.engine != ""


def _result(name: str, per_cluster: list[dict], averages: dict) -> compare_module.ConfigResult:
    return compare_module.ConfigResult(
        name=name, config=validate_config({"model": {"method": "lead"}}), digests=[], per_cluster=per_cluster, unsupported=[], averages=averages
    )


def _hand_made(rouge2_by_config: dict[str, list[float]], words: dict[str, float], settings=CompareSettings()) -> compare_module.Comparison:
    clusters = len(next(iter(rouge2_by_config.values())))
    comparison = compare_module.Comparison(
        source="hand-made", settings=settings,
        clusters=[{"cluster_id": f"c{i}", "articles": ["a"], "references": ["ref"]} for i in range(clusters)],
    )
    for name, values in rouge2_by_config.items():
        per_cluster = [{kind: value for kind in compare_module.ROUGE_KEYS} for value in values]
        comparison.results.append(_result(name, per_cluster, {"words": {"mean": words[name], "low": 0, "high": 0, "clusters": clusters}}))
    return comparison


def test_paired_tests_put_every_later_config_against_the_first():
    comparison = _hand_made(
        {"base": [0.1, 0.2, 0.3, 0.4, 0.5], "same": [0.1, 0.2, 0.3, 0.4, 0.5], "better": [0.2, 0.3, 0.4, 0.5, 0.6]},
        {"base": 100, "same": 100, "better": 100},
    )
    same, better = compare_module.paired_tests(comparison)
    assert same["config"] == "same" and same["baseline"] == "base"
    assert same["rouge2"]["difference"] == 0.0 and same["rouge2"]["p"] == 1.0
    assert better["rouge2"]["difference"] == pytest.approx(0.1, abs=1e-6) and better["rouge2"]["p"] == pytest.approx(2 / 32, abs=1e-6)
    assert compare_module.length_warnings(comparison) == []


def test_paired_tests_need_references_and_two_configs():
    comparison = _hand_made({"base": [0.1, 0.2], "other": [0.3, 0.4]}, {"base": 100, "other": 100})
    comparison.clusters = [{**c, "references": []} for c in comparison.clusters]
    assert compare_module.paired_tests(comparison) == []
    assert compare_module.paired_tests(_hand_made({"alone": [0.1, 0.2]}, {"alone": 100})) == []


def test_length_warning_only_beyond_the_tolerance():
    within = _hand_made({"a": [0.1], "b": [0.1]}, {"a": 110, "b": 100})  # 10%: not more than 10%
    assert compare_module.length_warnings(within) == []
    (warning,) = compare_module.length_warnings(_hand_made({"a": [0.1], "b": [0.1], "c": [0.1]}, {"a": 100, "b": 250, "c": 200}))
    assert "differ by 150%" in warning and "b 250 words, a 100" in warning and "--rouge-words" in warning
    strict = _hand_made({"a": [0.1], "b": [0.1]}, {"a": 105, "b": 100}, CompareSettings(length_tolerance=0.01))
    assert len(compare_module.length_warnings(strict)) == 1


def test_identical_configs_differ_by_zero_with_p_one(tmp_path):
    copy = _write_config(tmp_path, "lead-copy", yaml.safe_load((ROOT / "configs" / "lead.yaml").read_text()))  # the shipped lead, renamed
    out = tmp_path / "report"
    assert _invoke("compare", CLUSTERS, "--configs", "lead", copy, "-o", out, "-q", *TFIDF).exit_code == 0
    data = json.loads((out / "compare.json").read_text())
    (test,) = data["paired_tests"]
    assert test["config"] == "lead-copy" and test["baseline"] == "lead"
    for kind in compare_module.ROUGE_KEYS:
        assert test[kind] == {"difference": 0.0, "low": 0.0, "high": 0.0, "p": 1.0, "clusters": 2, "exact": True}
    assert data["warnings"] == []
    assert "permutation_test" in data["settings"]["paired_test"]
    table = (out / "table.md").read_text()
    assert "Paired tests against `lead` over the same 2 clusters" in table and "+0.000 [+0.000, +0.000] p=1" in table
    assert "Paired tests against <code>lead</code>" in (out / "report.html").read_text()


@pytest.mark.parametrize("combine", ["max", "mean"])
def test_duc_protocol_scores_the_first_n_words_by_recall_and_says_so(tmp_path, combine):
    two_references = tmp_path / "clusters.jsonl"  # a second, shorter reference: its mean differs from the best
    records = [json.loads(line) for line in Path(CLUSTERS).read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        record["references"].append(" ".join(record["references"][0].split()[:15]))
    two_references.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    result = _invoke(
        "compare", two_references, "--configs", "lead", "extractive", "-o", out, "-q",
        "--rouge-words", 20, "--rouge-measure", "recall", "--rouge-references", combine, *TFIDF,
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "compare.json").read_text())
    assert data["settings"]["rouge_words"] == 20 and data["settings"]["rouge_measure"] == "recall"
    assert data["settings"]["rouge_references"] == combine
    assert data["metrics"]["rouge1"].startswith("ROUGE-1 recall @20 words") and "first 20 words" in data["metrics"]["rouge1"]
    assert ("mean over references" in data["metrics"]["rouge1"]) == (combine == "mean")
    references = {c["cluster_id"]: c["references"] for c in data["clusters"]}
    for config in data["configs"]:
        for cluster in config["per_cluster"]:
            text = " ".join(s["text"] for s in cluster["digest"])
            assert cluster["metrics"]["words"] > 20  # the cut applies to ROUGE only
            cut, ours = " ".join(text.split()[:20]), references[cluster["cluster_id"]]
            assert len(ours) == 2
            expected = metrics.rouge(cut, ours, "recall", combine=combine)
            assert {k: cluster["metrics"][k] for k in compare_module.ROUGE_KEYS} == expected
            other = metrics.rouge(cut, ours, "recall", combine="mean" if combine == "max" else "max")
            assert expected["rouge1"] != other["rouge1"]  # the two protocols do differ here
    header = (out / "table.md").read_text().splitlines()[0]
    assert "ROUGE-1 recall @20 words" in header and "Δ ROUGE-2 recall @20 words" in (out / "table.md").read_text()
    assert "ROUGE-Lsum recall @20 words" in (out / "report.html").read_text()


def test_a_length_gap_is_warned_in_the_table_and_json(tmp_path):
    short = _write_config(tmp_path, "lead-short", {"model": {"method": "lead"}, "fusion": {"max_words": 60}})
    out = tmp_path / "report"
    assert _invoke("compare", EXAMPLE, "--configs", "lead", short, "-o", out, "-q", *TFIDF).exit_code == 0
    (warning,) = json.loads((out / "compare.json").read_text())["warnings"]
    assert "mean digest lengths differ by" in warning and "lead-short" in warning
    assert f"**Warning:** {warning}" in (out / "table.md").read_text()
