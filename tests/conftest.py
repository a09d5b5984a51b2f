"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

# --- seq2seq stage: tiny real-architecture models (summarizer/summarize/tiny_models.py) ------------------------
# Built once per test session into a temporary folder, from random weights and freshly trained
# tokenizers: nothing is downloaded.


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding a 2-layer BART (128-token window) and its byte-level BPE tokenizer."""
    from summarizer.summarize.tiny_models import build_tiny_bart

    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding a 2-layer T5 (512-token window) and its Metaspace BPE tokenizer."""
    from summarizer.summarize.tiny_models import build_tiny_t5

    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


@pytest.fixture(scope="session")
def tiny_bart_1024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny BART with bart-large-cnn's 1024-token window, which holds the part summaries of the shipped lengths."""
    from summarizer.summarize.tiny_models import build_tiny_bart

    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart-1024"), positions=1024)


@pytest.fixture(scope="session")
def tiny_pegasus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding a 2-layer PEGASUS (512-token window) and its Metaspace BPE tokenizer."""
    from summarizer.summarize.tiny_models import build_tiny_pegasus

    return build_tiny_pegasus(tmp_path_factory.mktemp("tiny-pegasus"))


@pytest.fixture(scope="session")
def tiny_led(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding a 2-layer LED (16384-token window, local attention) and its byte-level BPE tokenizer."""
    from summarizer.summarize.tiny_models import build_tiny_led

    return build_tiny_led(tmp_path_factory.mktemp("tiny-led"))


@pytest.fixture(scope="session")
def tiny_mt5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding a 2-layer mT5 and a Metaspace BPE tokenizer trained on en, fr, ar and hi."""
    from summarizer.summarize.tiny_models import build_tiny_mt5

    return build_tiny_mt5(tmp_path_factory.mktemp("tiny-mt5"))


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models run ~10x faster on one thread than on two on a 2-core machine (thread
    start-up dominates); modules that generate opt in with ``usefixtures``."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CTranslate2 conversion folder per module: each tiny model is converted once."""
    return tmp_path_factory.mktemp("ct2")


# --- end of seq2seq fixtures -------------------------------------------------------------------


# --- summary cache: never the user's ~/.cache in tests ------------------------------------------


@pytest.fixture(autouse=True)
def _private_summary_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the per-article summary cache (summarizer.summarize.cache) at a fresh folder for each test."""
    folder = tmp_path / "summary-cache"
    monkeypatch.setenv("SUMMARIZER_CACHE", str(folder))
    return folder
