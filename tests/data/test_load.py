"""The dataset wrapper: every source kind gives the same row shape, cleaned and de-duplicated."""

import csv
import json
import logging
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.config import DataSettings
from summarizer.data.load import clusters, load_articles, table_files
from summarizer.errors import InputError
from tests.shared_data import KABUL, MULTILING, needs_shared_data

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["cluster_id", "doc_id", "title", "text", "references", "language", "date"]


@needs_shared_data
def test_real_kabul_folder_gives_five_clean_articles():
    dataset = load_articles(KABUL)
    assert dataset.column_names == COLUMNS
    assert len(dataset) == 5 and set(dataset["cluster_id"]) == {"kabul-2021"}
    joined = "\n".join(dataset["text"])
    assert "â€" not in joined and "KABUL, Afghanistan – At least seven" in joined
    for furniture in ("Related Topics", "Source link", "image caption", "media caption", "[File:"):
        assert furniture not in joined
    assert dataset[0]["title"].startswith("Kabul Airport Chaos")
    assert dataset[1]["title"] == ""  # its first line is a paragraph, kept in the text
    assert dataset[1]["text"].startswith("The Taliban stated")


def test_bundled_example_is_messy_and_comes_out_clean():
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "kabul-2021").glob("*.txt")))
    for mess in ("â€“", "Related Topics", "Source link"):
        assert mess in raw
    dataset = load_articles(ROOT / "examples" / "kabul-2021")
    assert len(dataset) == 5
    joined = "\n".join(dataset["text"])
    for mess in ("â€", "Related Topics", "Source link"):
        assert mess not in joined


def _write_articles(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_exact_duplicate_articles_are_dropped_with_a_warning(tmp_path, caplog):
    body = "Headline\n\nThe ship was freed on 29 March after six days. Traffic resumed at once."
    folder = _write_articles(tmp_path / "c", {"a.txt": body, "b.md": body.replace("  ", " "), "c.txt": "Other\n\nA different story entirely, about something else."})
    with caplog.at_level(logging.WARNING):
        dataset = load_articles(folder)
    assert dataset["doc_id"] == ["a", "c"]
    assert "'b' duplicates 'a'" in caplog.text


def test_subfolders_are_clusters(tmp_path):
    _write_articles(tmp_path / "one", {"x.txt": "T\n\nFirst cluster text here."})
    _write_articles(tmp_path / "two", {"y.txt": "T\n\nSecond cluster text here.", "z.txt": "T\n\nAnother one in it."})
    grouped = clusters(load_articles(tmp_path))
    assert {k: [a.doc_id for a in v] for k, v in grouped.items()} == {"one": ["x"], "two": ["y", "z"]}


def test_jsonl_with_configured_column_names(tmp_path):
    path = tmp_path / "articles.jsonl"
    rows = [{"event": "e1", "id": "n1", "body": "Story one, told here.", "headline": "H1", "gold": "Ref."},
            {"event": "e1", "id": "n2", "body": "Story two, told there.", "headline": "H2", "gold": "Ref."}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    settings = DataSettings(text_column="body", title_column="headline", id_column="id", cluster_column="event", reference_column="gold")
    dataset = load_articles(path, settings)
    assert dataset["doc_id"] == ["n1", "n2"] and dataset["title"] == ["H1", "H2"]
    assert dataset["cluster_id"] == ["e1", "e1"] and dataset["references"] == [["Ref."], ["Ref."]]


@needs_shared_data
def test_jsonl_clusters_with_references_like_multiling():
    grouped = clusters(load_articles(MULTILING, DataSettings(limit=2)))
    assert len(grouped) == 2
    first = next(iter(grouped.values()))
    assert len(first) == 10 and len(first[0].references) == 3


def test_csv_and_json(tmp_path):
    csv_path = tmp_path / "a.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc_id", "title", "text"])
        writer.writeheader()
        writer.writerow({"doc_id": "d1", "title": "T", "text": "Some text, with a comma."})
    assert load_articles(csv_path)["text"] == ["Some text, with a comma."]
    json_path = tmp_path / "a.json"
    json_path.write_text(json.dumps([{"text": "Alpha story."}, {"text": "Beta story."}]))
    dataset = load_articles(json_path)
    assert dataset["doc_id"] == ["0001", "0002"] and dataset["cluster_id"] == ["a", "a"]


def test_saved_hf_dataset_in_multi_news_layout(tmp_path):
    saved = tmp_path / "multi_news_sample"
    datasets.Dataset.from_list([
        {"document": "First article about the flood. ||||| Second article on the same flood.", "summary": "A flood."},
        {"document": "Only one article here about the vote.", "summary": "A vote."},
    ]).save_to_disk(str(saved))
    grouped = clusters(load_articles(saved))
    assert [len(v) for v in grouped.values()] == [2, 1]
    first = next(iter(grouped.values()))
    assert first[1].text == "Second article on the same flood." and first[0].references == ("A flood.",)


def test_hub_dataset_by_name_gets_the_split_and_the_limit(monkeypatch, tmp_path):
    """A hub name goes to datasets.load_dataset with data.split; data.limit keeps the first clusters.
    (The hub is out of reach here, so load_dataset returns a local dataset of the same layout.)"""
    asked = []

    def load_dataset(name, split):
        asked.append((name, split))
        return datasets.Dataset.from_list([
            {"document": f"Story {k} about event {k}. ||||| Another outlet on event {k}.", "summary": f"Event {k}."} for k in range(5)
        ])

    monkeypatch.setattr(datasets, "load_dataset", load_dataset)
    grouped = clusters(load_articles("multi_news", DataSettings(split="test", limit=2)))
    assert asked == [("multi_news", "test")]
    assert len(grouped) == 2 and all(len(articles) == 2 for articles in grouped.values())
    assert [articles[0].references for articles in grouped.values()] == [("Event 0.",), ("Event 1.",)]

    runner_output = tmp_path / "compare"
    result = CliRunner().invoke(main, ["compare", "multi_news", "--configs", "lead", "--split", "validation", "--limit", "1",
                                       "--output", str(runner_output), "--resamples", "100", "--quiet"])
    assert result.exit_code == 0, result.output
    assert asked[-1] == ("multi_news", "validation")
    assert [c["references"] for c in json.loads((runner_output / "compare.json").read_text())["clusters"]] == [["Event 0."]]


def test_unreachable_hub_dataset_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(InputError, match="Hugging Face dataset"):
        load_articles("some-org/no_such_dataset_here")


def test_missing_path_and_bad_lines_are_clear(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_articles(tmp_path / "missing.jsonl")
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "fine"}\n{"text": broken\n')
    with pytest.raises(InputError, match="line 2"):
        load_articles(path)
    path.write_text('{"body": "no text column"}\n')
    with pytest.raises(InputError, match="Columns present: body"):
        load_articles(path)


def test_a_date_column_is_kept_and_absent_dates_are_empty(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_text('{"doc_id": "a", "text": "Floods hit the city.", "date": "2024-05-02"}\n{"doc_id": "b", "text": "Storm moves north."}\n', encoding="utf-8")
    (cluster,) = clusters(load_articles(source, DataSettings(language=None))).values()
    assert [(a.doc_id, a.date) for a in cluster] == [("a", "2024-05-02"), ("b", "")]


def test_a_folder_of_tables_reads_as_the_files_one_after_another(tmp_path, caplog):
    """A feed split into files (by hour, by outlet) reads as their concatenation in name order,
    whatever their kinds; a stray file beside them is skipped with a warning."""
    records = [{"cluster_id": f"c{i % 3}", "doc_id": f"d{i}", "title": f"T{i}", "text": f"Article number {i} says something about story {i % 3}."}
               for i in range(9)]
    whole = tmp_path / "whole.jsonl"
    whole.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "2-late.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[6:]), encoding="utf-8")
    (folder / "1-noon.json").write_text(json.dumps(records[3:6]), encoding="utf-8")
    with (folder / "0-morning.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records[:3])
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    with caplog.at_level(logging.WARNING):
        from_folder = load_articles(folder)
    assert from_folder.to_list() == load_articles(whole).to_list()
    assert any("notes.pdf: skipped" in m for m in caplog.messages)
    assert [p.name for p in table_files(folder)] == ["0-morning.csv", "1-noon.json", "2-late.jsonl"]
    (folder / "story.txt").write_text("A title\n\nAn article file beside them.", encoding="utf-8")
    assert table_files(folder) == []  # article files make it a cluster folder, as before
