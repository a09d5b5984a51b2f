"""Generation backends: the one step of the seq2seq stage that can run on different engines.

:class:`~summarizer.summarize.seq2seq.Seq2SeqSummarizer` does everything that defines a summary (loading the
tokenizer, cutting articles into window-sized parts at sentence boundaries, sorting by length,
batching, decoding). A backend only turns a batch of token-id inputs into token-id outputs, so
every engine sees exactly the same inputs and the chunking code exists once.

Backends are found by ``model.backend`` in :data:`BACKENDS`; ``auto`` takes the first entry of
:data:`AUTO_ORDER` that is installed and supports the model's architecture. Each backend lives in
its own module and is imported only when chosen: ``transformers`` in :mod:`summarizer.summarize.hf`
(the stage's only module that imports transformers and torch), ``ctranslate2`` in :mod:`summarizer.summarize.ct2`.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol

from ..errors import ConfigError, ModelLoadError
from .checkpoint import Checkpoint


@dataclass(frozen=True)
class Decoding:
    """Generation settings in Hugging Face terms, resolved from the model's defaults and ours.

    Token counts follow ``transformers``: ``min_new_tokens``/``max_new_tokens`` count every token
    after the decoder start token, the forced BOS and the EOS included.
    """

    decoder_start_token_id: int
    eos_token_id: int
    forced_bos_token_id: Optional[int]  # BART-CNN forces <s> as the first new token
    forced_eos_token_id: Optional[int]  # forced as the last token when max_new_tokens is reached
    min_new_tokens: int
    max_new_tokens: int
    num_beams: int
    no_repeat_ngram_size: int
    length_penalty: float


@dataclass(frozen=True)
class ModelSource:
    """What a backend needs to load its weights: the checkpoint and how it should run."""

    checkpoint: Checkpoint
    device: str  # "cpu", "cuda" or "mps", already resolved from "auto"
    quantization: str  # "auto", "none" or "int8", as configured
    converted_folder: Path  # where engines that convert weights keep their conversions
    batch_size: int  # inputs per generate() call, for engines that spread a batch over the cores


class Backend(Protocol):
    """Generates output token ids for a batch of inputs."""

    name: str  # registry name, e.g. "ctranslate2"
    engine: str  # name plus precision and device, e.g. "ctranslate2/int8/cpu": part of cache keys

    def generate(self, batch: list[list[int]], max_new_tokens: Optional[int] = None) -> list[list[int]]:
        """One list of new token ids per input (decoder start excluded, EOS kept when produced).

        Args:
            batch: token ids of each input, special tokens included, no padding.
            max_new_tokens: a tighter length limit for this call (the summaries of an article's
                parts, see :meth:`Seq2SeqSummarizer.part_limit`); None keeps the decoding's own.
        """


@dataclass(frozen=True)
class BackendEntry:
    """Where a backend lives and what it needs."""

    module: str  # imported only when the backend is used
    attribute: str  # the class in that module, built with ``(source, decoding)``
    requires: str  # top-level package that must be importable
    architectures: Optional[frozenset[str]]  # transformers config classes it runs; None = all
    devices: frozenset[str] = frozenset({"cpu", "cuda", "mps"})  # devices it runs on


BACKENDS: dict[str, BackendEntry] = {
    "transformers": BackendEntry("summarizer.summarize.hf", "TransformersBackend", "transformers", None),
    "ctranslate2": BackendEntry(
        "summarizer.summarize.ct2",
        "CTranslate2Backend",
        "ctranslate2",
        # CTranslate2's converter handles more; these are the families the summarizer supports
        # that it converts (LED's longformer attention and PEGASUS are not among them).
        frozenset({"BartConfig", "T5Config", "MT5Config"}),
        frozenset({"cpu", "cuda"}),
    ),
}
AUTO_ORDER = ("ctranslate2", "transformers")  # fastest first, measured in benchmarks/bench_summarize.py


def resolve_backend(wanted: str, architecture: str, device: str) -> str:
    """The backend to use: ``wanted`` itself (checked), or for ``auto`` the fastest that fits.

    Raises:
        ConfigError: an unknown backend name (with a suggestion).
        ModelLoadError: the backend asked for is not installed or cannot run this architecture.
    """
    if wanted == "auto":
        return next(name for name in AUTO_ORDER if _fits(name, architecture, device))
    if wanted not in BACKENDS:
        hint = difflib.get_close_matches(wanted, list(BACKENDS), n=1)
        raise ConfigError(
            f"Unknown model.backend '{wanted}'." + (f" Did you mean '{hint[0]}'?" if hint else "")
            + f" Known backends: auto, {', '.join(BACKENDS)}."
        )
    entry = BACKENDS[wanted]
    if not installed(wanted):
        raise ModelLoadError(
            f"model.backend is '{wanted}' but the {entry.requires} package is not installed. "
            f"Install it (pip install {entry.requires}) or set model.backend to 'auto'."
        )
    if not _fits(wanted, architecture, device):
        raise ModelLoadError(
            f"model.backend '{wanted}' cannot run a {architecture} model on {device} "
            f"(it runs {', '.join(sorted(entry.architectures or ()))} on {', '.join(sorted(entry.devices))}). "
            "Set model.backend to "
            "'transformers' or 'auto'."
        )
    return wanted


def load_backend(name: str, source: ModelSource, decoding: Decoding) -> Backend:
    """Import the backend's module and build it (this is where weights load)."""
    entry = BACKENDS[name]
    return getattr(importlib.import_module(entry.module), entry.attribute)(source, decoding)


def installed(name: str) -> bool:
    """Whether the package backend ``name`` needs can be imported (checked without importing it)."""
    return importlib.util.find_spec(BACKENDS[name].requires) is not None


def _fits(name: str, architecture: str, device: str) -> bool:
    entry = BACKENDS[name]
    if not installed(name):
        return False
    return device in entry.devices and (entry.architectures is None or architecture in entry.architectures)
