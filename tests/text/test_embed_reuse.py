"""Embed once: every distinct sentence of a run reaches the embedding model once, whichever
stages (LexRank, fusion candidates, evidence corpus, conflicts) and configs ask for it."""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from summarizer.compare.comparison import compare
from summarizer.config import CompareSettings, load_config
from summarizer.text import embed
from summarizer.pipeline import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kabul-2021"
CLUSTERS = ROOT / "examples" / "clusters.jsonl"


class CountingEmbedder:
    """Bag of hashed words (deterministic, stable per sentence), recording every call."""

    name = "counting"
    default_threshold = 0.7

    def __init__(self, device=None):
        self.calls: list[list[str]] = []

    def encode(self, sentences):
        self.calls.append(list(sentences))
        rows = np.full((len(sentences), 64), 1e-3, dtype=np.float32)
        for row, sentence in zip(rows, sentences):
            for word in sentence.lower().split():
                row[zlib.crc32(word.encode()) % 64] += 1.0
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def encoded(self) -> Counter:
        return Counter(s for call in self.calls for s in call)


@pytest.fixture
def counting(monkeypatch):
    made: list[CountingEmbedder] = []

    def build(device, converted_folder):
        made.append(CountingEmbedder(device))
        return made[-1]

    monkeypatch.setitem(embed.EMBEDDERS, "minilm", build)
    return made


def test_a_run_encodes_each_distinct_sentence_once_and_mostly_in_one_call_per_cluster(counting):
    digests = run(CLUSTERS, load_config("extractive", ["fusion.embedder=minilm"]), progress=False)
    (embedder,) = counting
    assert len(digests) >= 2 and all(d.digest for d in digests)
    assert max(embedder.encoded().values()) == 1
    # the prefetch is the first and biggest call of each cluster: later calls only meet new text
    biggest = sorted(embedder.calls, key=len, reverse=True)[: len(digests)]
    assert sum(map(len, biggest)) >= 0.9 * sum(embedder.encoded().values())


def test_a_comparison_encodes_each_sentence_once_for_all_its_configs(counting, tmp_path):
    configs = [
        (name, load_config("extractive", ["fusion.embedder=minilm", f"fusion.max_words={words}"]))
        for name, words in (("wide", 200), ("narrow", 60))
    ]
    compare(EXAMPLE, configs, CompareSettings(resamples=100), progress=False)
    (embedder,) = counting
    assert embedder.calls and max(embedder.encoded().values()) == 1


def test_the_digest_names_the_embedder_and_why_auto_passed_over_the_faster_one(counting, monkeypatch):
    def unavailable(device, converted_folder):
        raise embed.ModelLoadError("no int8 here")

    monkeypatch.setitem(embed.EMBEDDERS, "minilm-int8", unavailable)
    (digest,) = run(EXAMPLE, load_config("extractive"), progress=False)
    assert digest.embedder.startswith("counting (minilm-int8 unavailable: no int8 here")
