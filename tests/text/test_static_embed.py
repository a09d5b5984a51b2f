"""The static embedder (``minilm-static``): distilled once with model2vec, reused, named in digests.

Distilling the real MiniLM takes minutes, so the tests distil a tiny random BERT put in its place
(``_bundled_minilm``); the loading path, the folder's reuse and the errors are the same code."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import numpy as np
import pytest

from summarizer.errors import ModelLoadError
from summarizer.text import static_embed
from summarizer.text.embed import get_embedder


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kabul-2021"


@pytest.fixture(scope="module")
def tiny_source(tmp_path_factory):
    """A 2-layer random BERT whose vocabulary is [PAD] [UNK] [CLS] [SEP] and "news"."""
    from summarizer.summarize.tiny_models import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(scope="module")
def distilled(tiny_source, tmp_path_factory):
    """A converted folder holding the tiny model's distillation, and the patch that made it."""
    folder = tmp_path_factory.mktemp("converted")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(static_embed, "_bundled_minilm", lambda: (tiny_source, "tiny-1"))
        embedder = get_embedder("minilm-static", "cpu", folder)
    return folder, embedder


@pytest.fixture
def tiny_minilm(tiny_source, monkeypatch):
    monkeypatch.setattr(static_embed, "_bundled_minilm", lambda: (tiny_source, "tiny-1"))


def test_the_distillation_is_one_finished_folder_named_by_both_versions(distilled):
    folder, embedder = distilled
    from importlib.metadata import version

    (target,) = folder.iterdir()  # no staging folder left beside it
    assert target.name == f"all-MiniLM-L6-v2-static{static_embed.PCA_DIMS}-tiny-1-model2vec-{version('model2vec')}"
    assert (target / static_embed.MODEL_FILE).is_file()
    assert embedder.name == "minilm-static" and target.name in embedder.identity


def test_rows_are_unit_float32_and_a_sentence_of_unknown_tokens_is_zero(distilled):
    _, embedder = distilled
    vectors = embedder.encode(["news", "news news news", "unknown words only"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, embedder.dimensions)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0, abs=1e-5)  # a static mean: repetition changes nothing
    assert not vectors[2].any()
    assert embedder.encode([]).shape == (0, embedder.dimensions)


def test_a_second_load_reuses_the_distilled_folder(distilled, tiny_minilm, monkeypatch):
    folder, first = distilled

    def no_distillation(source, target):
        raise AssertionError(f"distilled again into {target}")

    monkeypatch.setattr(static_embed, "_distill", no_distillation)
    again = get_embedder("minilm-static", "cpu", folder)
    sentences = ["news news", "news"]
    assert np.array_equal(again.encode(sentences), first.encode(sentences)) and again.identity == first.identity


@pytest.mark.parametrize("failure", [KeyboardInterrupt, ValueError])
def test_a_killed_or_failed_distillation_leaves_no_folder_that_a_later_run_would_trust(failure, tiny_minilm, tmp_path, monkeypatch):
    import model2vec.distill

    def broken(**kwargs):
        raise failure("stopped")

    monkeypatch.setattr(model2vec.distill, "distill", broken)
    expected = KeyboardInterrupt if failure is KeyboardInterrupt else ModelLoadError
    with pytest.raises(expected) as caught:
        get_embedder("minilm-static", "cpu", tmp_path)
    assert list(tmp_path.iterdir()) == []
    if expected is ModelLoadError:
        assert "could not distil" in str(caught.value) and "fusion.embedder" in str(caught.value)


def test_missing_model2vec_is_one_paragraph_saying_what_to_install_or_choose(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def without_model2vec(name, *args, **kwargs):
        if name == "model2vec" or name.startswith("model2vec."):
            raise ImportError(f"No module named '{name}'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_model2vec)
    with pytest.raises(ModelLoadError) as caught:
        get_embedder("minilm-static", "cpu", tmp_path)
    message = str(caught.value)
    assert "\n" not in message and "summarizer[static]" in message and "fusion.embedder" in message


def test_a_damaged_distillation_is_reported_with_the_folder_to_delete(distilled, tiny_minilm, tmp_path):
    folder, embedder = distilled
    (source,) = folder.iterdir()
    damaged = tmp_path / source.name
    damaged.mkdir()
    (damaged / static_embed.MODEL_FILE).write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError) as caught:
        get_embedder("minilm-static", "cpu", tmp_path)
    assert str(damaged) in str(caught.value) and "Delete that folder" in str(caught.value)


def test_auto_never_picks_the_static_embedder():
    assert get_embedder("auto", "cpu").name != "minilm-static"


def test_run_with_the_static_embedder_names_it_in_the_digest(distilled, tiny_minilm, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from summarizer.cli import main

    folder, _ = distilled
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    args = ["run", str(EXAMPLE), "--config", "extractive", "--quiet", "--output", str(out),
            "--set", "fusion.embedder=minilm-static", "--set", f"model.converted_folder={folder}"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    digest = json.loads((out / "digest.json").read_text())
    assert digest["embedder"] == "minilm-static"
    assert "fused with minilm-static" in (out / "digest.md").read_text()
