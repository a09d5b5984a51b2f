"""The ``ctranslate2`` generation backend: int8 inference with CTranslate2, converted once.

On a 2-core CPU, DistilBART with beam 4 runs several times faster under CTranslate2 int8 than
under transformers fp32, in less memory (``benchmarks/bench_summarize.py``): its beam search
keeps the cross-attention cache in place and its int8 kernels are fast.

The Hugging Face checkpoint is converted on first use with CTranslate2's own converter (which
loads it with transformers, so it is imported only then) into ``model.converted_folder``, one
sub-folder per model id, revision, weights and tokenizer files, quantization and CTranslate2
version, written under a temporary name and renamed, so a killed conversion leaves nothing
half-written behind. The folder also keeps the :class:`~summarizer.summarize.checkpoint.Checkpoint`
description, so later runs (:func:`prepared`) load the converted files without importing
transformers or torch: the summarize stage then needs about 400 MB less memory. A description
written under another transformers version is read anew (the converted weights stay).

On CPU a batch is spread over the cores as small jobs taken by one single-threaded worker per
core (``inter_threads``), rather than one batch run by all cores together (``intra_threads``):
the many small matrix products of decoding then need no synchronisation, which measured about
20% faster with beam 4 on 2 cores (``benchmarks/bench_summarize.py``).

Mapping of the generation settings (transformers -> CTranslate2), checked token for token in
``tests/summarize/test_backends.py``:

* decoder start token: the converter copies it into the converted model's config.
* ``forced_bos_token_id``: given as ``target_prefix``; CTranslate2 counts the prefix in its
  lengths and returns it, as transformers counts and returns the forced token.
* ``min_new_tokens`` = ``min_decoding_length`` (both count the prefix, EOS may come right after).
* ``max_new_tokens``: CTranslate2 has no forced EOS, so with ``forced_eos_token_id`` set it gets
  one step fewer and the EOS that transformers would force is appended when it stopped at the limit.
* ``no_repeat_ngram_size`` maps by name, with one difference: transformers counts the decoder
  start token in its n-grams and CTranslate2 does not. It shows only when a model generates its
  own start token (T5's is <pad>; BART's is </s>, which ends the summary), which trained models
  do not; random-weight models in the benchmark can.
* ``length_penalty`` maps by name. Both libraries divide a beam's
  log-probability by its length to the power ``length_penalty``, but may count that length one
  token apart (EOS, prefix), so beam results can differ from transformers in rare ties of
  near-equal beams; greedy results are the same.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Optional

import ctranslate2

from ..config import ModelSettings
from ..errors import ModelLoadError
from ..threads import cores
from .backends import Decoding, ModelSource
from .cache import weights_id
from .checkpoint import SNAPSHOT_PATTERNS, Checkpoint, cached_folder

log = logging.getLogger(__name__)

#: CTranslate2 compute type per (device, model.quantization); "auto" is int8 with fp16 activations
#: on CUDA and int8 on CPU, the fastest types that keep greedy output close to fp32.
COMPUTE_TYPES = {
    ("cpu", "auto"): "int8",
    ("cpu", "int8"): "int8",
    ("cpu", "none"): "float32",
    ("cuda", "auto"): "int8_float16",
    ("cuda", "int8"): "int8_float16",
    ("cuda", "none"): "float32",
}


CHECKPOINT_FILE = "summarizer-checkpoint.json"  # the Checkpoint description, next to model.bin
MIN_JOB_INPUTS = 2  # inputs per CPU job at least: with beam 4, one input is too few rows per matrix product


class CTranslate2Backend:
    """Generate with a CTranslate2 ``Translator`` over the converted checkpoint.

    Args:
        source: where the checkpoint is and how it should run.
        decoding: generation settings to map (see the module docstring).
    """

    name = "ctranslate2"

    def __init__(self, source: ModelSource, decoding: Decoding):
        self.compute_type = COMPUTE_TYPES[(source.device, source.quantization)]
        self.engine = f"{self.name}/{self.compute_type}/{source.device}"
        self.decoding = decoding
        tokenizer = source.checkpoint.tokenizer()
        self.vocabulary = [tokenizer.id_to_token(i) for i in range(tokenizer.get_vocab_size())]
        self.ids = {token: index for index, token in enumerate(self.vocabulary)}
        folder = converted(source, self.compute_type)
        self.workers, threads = _threads(source.device, source.batch_size)
        self.translator = ctranslate2.Translator(
            str(folder), device=source.device, compute_type=self.compute_type, inter_threads=self.workers, intra_threads=threads
        )

    def generate(self, batch: list[list[int]], max_new_tokens: Optional[int] = None) -> list[list[int]]:
        """New token ids per input, as transformers ``generate`` would return them (see module docstring)."""
        d = self.decoding
        forced_eos = d.forced_eos_token_id is not None
        limit = d.max_new_tokens if max_new_tokens is None else max_new_tokens
        max_length = limit - 1 if forced_eos else limit
        prefix = None if d.forced_bos_token_id is None else [[self.vocabulary[d.forced_bos_token_id]]] * len(batch)
        results = self.translator.translate_batch(
            [[self.vocabulary[i] for i in ids] for ids in batch],
            max_batch_size=self._job_size(len(batch)),
            target_prefix=prefix,
            beam_size=d.num_beams,
            length_penalty=d.length_penalty,
            no_repeat_ngram_size=d.no_repeat_ngram_size,
            min_decoding_length=min(d.min_new_tokens, max_length),
            max_decoding_length=max_length,
            max_input_length=0,  # the summarizer already fits every input into the window
            return_end_token=True,
            return_scores=False,
        )
        outputs = []
        for result in results:
            # CTranslate2's vocabulary can be longer than the tokenizer's (T5 pads 32100 tokens to 32128);
            # the padding tokens have no text, so they are dropped like special tokens
            ids = [self.ids[token] for token in result.hypotheses[0] if token in self.ids]
            if forced_eos and (not ids or ids[-1] != d.eos_token_id) and len(ids) >= max_length:
                ids.append(d.forced_eos_token_id)
            outputs.append(ids)
        return outputs

    def _job_size(self, inputs: int) -> int:
        """Inputs per CTranslate2 job: the whole batch for one worker (a GPU wants it whole).

        Several workers take jobs from one queue, so two jobs per worker even out inputs of
        different lengths, and a job keeps at least two inputs (with beam 4, one input gives too
        few rows per matrix product). Measured on 2 cores, beam 4, 8 inputs: jobs of 2 took 7.0 s
        in each of 4 runs, jobs of 4 (one per worker) 7.0-7.8 s, jobs of 1 8.4-8.9 s.
        """
        if self.workers == 1:
            return inputs
        return max(MIN_JOB_INPUTS, math.ceil(inputs / (2 * self.workers)))


def prepared(model: ModelSettings) -> Optional[tuple[Checkpoint, str]]:
    """(checkpoint, device) of ``model`` ready to run from an earlier conversion, without
    transformers or torch; else None.

    Only when CTranslate2 would be chosen anyway: backend "ctranslate2" or "auto", a device it
    runs on (for "auto", CUDA when CTranslate2 sees a GPU, else the CPU; on macOS the MPS check
    needs torch), and a conversion of these very files with its description.
    """
    if model.backend not in ("auto", "ctranslate2"):
        return None
    gpus = ctranslate2.get_cuda_device_count()
    if model.device == "auto":
        device = "cuda" if gpus else None if sys.platform == "darwin" else "cpu"
    else:
        device = model.device if model.device == "cpu" or (model.device == "cuda" and gpus) else None
    folder = cached_folder(model.name, model.revision)
    if device is None or folder is None:
        return None
    target = _target(model.name, model.revision, folder, COMPUTE_TYPES[(device, model.quantization)], model.resolved_converted_folder)
    if not (target / "model.bin").is_file() or not (target / CHECKPOINT_FILE).is_file():
        return None
    try:
        checkpoint = Checkpoint.load(target / CHECKPOINT_FILE, model.name, model.revision, folder)
    except (ValueError, TypeError):  # unreadable, or written by a version with other fields: read it anew
        return None
    if checkpoint.transformers_version != _installed("transformers"):  # read it anew; the conversion stays
        return None
    return checkpoint, device


def converted(source: ModelSource, quantization: str) -> Path:
    """The folder of ``source`` converted for CTranslate2 with ``quantization``; converts on first use.

    Raises:
        ModelLoadError: the conversion failed (the message names the model and what to try).
    """
    checkpoint = source.checkpoint
    target = _target(checkpoint.name, checkpoint.revision, checkpoint.folder, quantization, source.converted_folder)
    if (target / "model.bin").is_file():
        try:  # missing, or unreadable by this version if we got here
            checkpoint.save(target / CHECKPOINT_FILE)
        except OSError as exc:  # a read-only shared folder: runs still work, reading the checkpoint each time
            log.info("could not store the checkpoint description in %s (%s); later runs read it with transformers", target, exc)
        return target
    log.info("converting %s for CTranslate2 (%s) into %s; later runs reuse it", checkpoint.name, quantization, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _converter(str(checkpoint.folder)).convert(str(staging), quantization=quantization, force=True)
        checkpoint.save(staging / CHECKPOINT_FILE)
        os.replace(staging, target)
    except OSError as exc:
        if (target / "model.bin").is_file():  # another process finished the same conversion first
            return target
        raise ModelLoadError(
            f"Could not write the CTranslate2 conversion of {checkpoint.name} to {target} ({exc}). Set "
            "model.converted_folder to a writable folder, or model.backend to 'transformers'."
        ) from exc
    except Exception as exc:  # the converter raises many types; the user needs one message
        raise ModelLoadError(
            f"CTranslate2 {ctranslate2.__version__} could not convert {checkpoint.name}: {exc}. Set model.backend to "
            "'transformers' to run it without conversion."
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _target(name: str, revision: Optional[str], folder: Path, quantization: str, converted_folder: Path) -> Path:
    """Where the conversion of these files with ``quantization`` lives (see the module docstring)."""
    identity = {
        "name": name,
        "revision": revision,
        "files": weights_id(str(folder), patterns=SNAPSHOT_PATTERNS),  # weights, config and tokenizer
        "quantization": quantization,
        "ctranslate2": ctranslate2.__version__,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    return converted_folder / f"{Path(name).name}-{quantization}-{digest}"


def _installed(package: str) -> Optional[str]:
    """The installed version of ``package`` (without importing it), None when it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _threads(device: str, batch_size: int) -> tuple[int, int]:
    """(workers, threads per worker): on CPU one single-threaded worker per core, but no more
    workers than a batch has jobs of :data:`MIN_JOB_INPUTS`, the cores left over shared out as
    threads (so no core idles); on a GPU one worker."""
    if device != "cpu":
        return 1, 1
    available = cores()  # the process's budget: a Ray actor's cpus_per_worker, not the node's cores
    workers = max(1, min(available, math.ceil(batch_size / MIN_JOB_INPUTS)))
    return workers, max(1, available // workers)


def _converter(folder: str):
    """CTranslate2's converter for the checkpoint in ``folder``. Imported here, not at the top:
    it imports transformers and torch, which runs of an already converted model do not need."""
    from ctranslate2.converters import transformers as converters

    class BartLoader(converters.BartLoader):
        """CTranslate2's BART loader, fixed for transformers v5, whose BartConfig dropped
        ``normalize_before`` (BART and DistilBART are post-norm: the old default was False)."""

        def get_model_spec(self, model):
            if not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return super().get_model_spec(model)

    converters._MODEL_LOADERS["BartConfig"] = BartLoader()  # CTranslate2's registry of loaders by config class
    return converters.TransformersConverter(folder)
