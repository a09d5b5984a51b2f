"""Abstractive stage: one summary per article from a seq2seq model (BART, PEGASUS, T5, LED).

The only module that imports ``transformers`` and ``torch``. transformers v5 removed
``pipeline("summarization")``, so this module does the pipeline's work itself, in the same
fixed order: load once → split into window-sized parts → batch → ``generate`` → decode.

Deviations from the old summarization pipeline, on purpose:

* No silent truncation. An article longer than the input window is split at sentence
  boundaries, every part is summarized, and the joined part summaries are summarized again
  (condensed further first if they still overflow), so the end of an article is never dropped.
* The engine is pluggable. Only "token ids in, token ids out" is delegated to a backend
  (:mod:`summarizer.backends`): this module's :class:`TransformersBackend`, or CTranslate2. The
  splitting, sorting, batching and decoding stay here, so every engine summarizes the same parts.
* Loading never hangs. A hub id is looked up in the local cache first; the network is tried
  only when offline mode is off and the hub answers a 3-second connect, because otherwise
  transformers retries for about 48 seconds before failing.
"""

from __future__ import annotations

import copy
import logging
import os
import socket
import sys
import warnings
from pathlib import Path
from typing import Callable, Optional, Sequence
from urllib.parse import urlsplit

import torch
from huggingface_hub import snapshot_download
from huggingface_hub.errors import (
    GatedRepoError,
    HFValidationError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from tqdm import tqdm
from transformers import (
    MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING,
    AutoConfig,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    GenerationConfig,
    PreTrainedConfig,
    PreTrainedTokenizerBase,
)

from .backends import Backend, Decoding, ModelSource, load_backend, resolve_backend
from .cache import WEIGHT_PATTERNS
from .config import LengthSettings, ModelSettings
from .errors import ConfigError, ModelLoadError, SummarizerError
from .segment import split_sentences

log = logging.getLogger(__name__)

SUPPORTED_FAMILIES = "BART, DistilBART, PEGASUS, T5/FLAN-T5 and LED"
HUB_PROBE_TIMEOUT = 3.0  # seconds to wait for a TCP connect to the hub before calling it unreachable
RELATIVE_POSITION_WINDOW = 512  # tokens; window for models without a position table (T5 was trained on 512)
UNSET_MODEL_MAX_LENGTH = 1_000_000  # tokenizers that declare no limit report ~1e30; anything above is "unset"
MIN_CONTENT_TOKENS = 8  # tokens of article text that must fit next to the prefix and special tokens
MAX_ROUNDS = 6  # summarize-the-summaries rounds before giving up on condensing one article
# files of a hub snapshot that loading needs: config, tokenizer, weights (not TF/Flax/ONNX copies)
SNAPSHOT_PATTERNS = ("*.json", "*.txt", "*.model", *WEIGHT_PATTERNS)
_TRUE = {"1", "ON", "YES", "TRUE"}  # what huggingface_hub accepts as "set" in environment flags


class Seq2SeqSummarizer:
    """Summarize articles with a Hugging Face encoder-decoder model, one summary per article.

    Args:
        model: which checkpoint to load, on which device, with which prefix, window and batch size.
        length: generation length and decoding settings.

    Raises:
        ModelLoadError: the model cannot be loaded or is not an encoder-decoder, or the device
            or window asked for cannot be honoured. The message says what to do.
    """

    method = "abstractive"

    def __init__(self, model: ModelSettings, length: LengthSettings):
        self.name = model.name
        self.device = _pick_device(model.device)
        self.prefix = model.prefix
        self.batch_size = model.batch_size
        self.tokenizer, config, folder = _load(model.name, model.revision)
        self.window = _input_window(model.max_input_tokens, self.tokenizer, config, model.name)
        self.decoding = _decoding(_checkpoint_generation_config(folder, config), length)
        source = ModelSource(
            name=model.name,
            revision=model.revision,
            folder=folder,
            architecture=type(config).__name__,
            device=self.device,
            quantization=model.quantization,
            vocabulary=tuple(self.tokenizer.convert_ids_to_tokens(list(range(len(self.tokenizer))))),
            pad_token_id=self.tokenizer.pad_token_id,
            converted_folder=model.resolved_converted_folder,
        )
        self.backend: Backend = load_backend(resolve_backend(model.backend, source.architecture, self.device), source, self.decoding)
        self.engine = self.backend.engine  # part of the summary cache key: int8 and fp32 summaries differ
        self._overhead = self._count("")
        if self.window - self._overhead < MIN_CONTENT_TOKENS:
            raise ModelLoadError(
                f"The input window of {self.window} tokens leaves no room for article text after the prefix "
                f"{self.prefix!r} and special tokens ({self._overhead} tokens). Raise model.max_input_tokens "
                f"to at least {self._overhead + MIN_CONTENT_TOKENS} or shorten model.prefix."
            )

    def summarize(self, texts: Sequence[str], progress: bool = True) -> list[tuple[str, int]]:
        """One (summary, number_of_chunks) per input text, same order. Empty text -> ("", 0).

        ``number_of_chunks`` is how many window-sized parts the article was cut into (1 when it
        fits). Articles are processed together: each round gathers the parts of every article
        that still needs work into one batched work list.

        Raises:
            ConfigError: an article could not be condensed into the window in ``MAX_ROUNDS``
                rounds (the summary length is too close to the window size).
        """
        parts = {i: self._split(text) for i, text in enumerate(texts) if text.strip()}
        chunks = {i: len(pieces) for i, pieces in parts.items()}
        summaries: dict[int, str] = {}
        with tqdm(total=0, desc="summarizing", unit="piece", disable=not progress, file=sys.stderr) as bar:
            for _ in range(MAX_ROUNDS):
                if not parts:
                    break
                outputs = self._generate_grouped(parts, bar)
                summaries.update({i: out[0] for i, out in outputs.items() if len(out) == 1})
                parts = {i: self._split(" ".join(out)) for i, out in outputs.items() if len(out) > 1}
        if parts:
            raise ConfigError(self._not_condensed_message(min(parts), texts))
        return [(summaries[i], chunks[i]) if i in summaries else ("", 0) for i in range(len(texts))]

    # --- splitting -------------------------------------------------------------------------

    def _count(self, text: str) -> int:
        """Tokens the model sees for ``text``: prefix and special tokens included."""
        return len(self.tokenizer(self.prefix + text, verbose=False).input_ids)

    def _fits(self, text: str) -> bool:
        return self._count(text) <= self.window

    def _split(self, text: str) -> list[str]:
        """``text`` (stripped) if it fits the window, else consecutive sentence groups that each fit."""
        text = text.strip()
        if self._fits(text):
            return [text]
        sentences = split_sentences(text)
        joined = " ".join(sentences)
        counts = [len(ids) for ids in self.tokenizer(sentences, add_special_tokens=False, verbose=False).input_ids]
        return self._pack(joined, _spans(sentences), counts, self._split_by_tokens)

    def _split_by_tokens(self, sentence: str) -> list[str]:
        """Last resort for one sentence longer than the window: cut it between tokens."""
        encoded = self.tokenizer(sentence, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        spans = [(start, end) for start, end in encoded.offset_mapping if end > start]
        # A single token cannot be cut further; it re-encodes to a few tokens at most, well
        # inside the MIN_CONTENT_TOKENS budget checked at load time.
        return self._pack(sentence, spans, [1] * len(spans), lambda piece: [piece])

    def _pack(
        self,
        text: str,
        spans: list[tuple[int, int]],
        counts: list[int],
        oversize: Callable[[str], list[str]],
    ) -> list[str]:
        """Group consecutive character ``spans`` of ``text`` into parts that each fit the window.

        ``counts`` are per-span token estimates: a span alone tokenizes slightly differently than
        in context, so each greedy group is confirmed by encoding it and shrunk one span at a
        time until it fits. A single span that does not fit is handed to ``oversize``.
        """
        budget = self.window - self._overhead
        parts: list[str] = []
        start = 0
        while start < len(spans):
            end, total = start + 1, counts[start]
            while end < len(spans) and total + counts[end] <= budget:
                total += counts[end]
                end += 1
            while True:
                part = text[spans[start][0] : spans[end - 1][1]]
                if self._fits(part):
                    parts.append(part)
                    break
                if end - start == 1:
                    parts.extend(oversize(part))
                    break
                end -= 1
            start = end
        return parts

    def _not_condensed_message(self, index: int, texts: Sequence[str]) -> str:
        return (
            f"Article {index + 1} ({len(texts[index].split())} words) could not be condensed into the model's "
            f"{self.window}-token input window in {MAX_ROUNDS} rounds of summarizing its parts: the part "
            f"summaries (up to {self.decoding.max_new_tokens} tokens each) are too long for the window. "
            "Lower length.max_new_tokens or length.preset, or raise model.max_input_tokens."
        )

    # --- generation ------------------------------------------------------------------------

    def _generate_grouped(self, parts: dict[int, list[str]], bar: tqdm) -> dict[int, list[str]]:
        """Summaries of every article's parts, generated as one work list so batches mix articles."""
        flat = [(i, piece) for i, pieces in parts.items() for piece in pieces]
        outputs = self._generate([piece for _, piece in flat], bar)
        grouped: dict[int, list[str]] = {i: [] for i in parts}
        for (i, _), output in zip(flat, outputs):
            grouped[i].append(output)
        return grouped

    def _generate(self, pieces: list[str], bar: tqdm) -> list[str]:
        """Summaries of ``pieces`` in input order, longest first in batches to keep padding small."""
        inputs = [self.prefix + piece for piece in pieces]
        lengths = [len(ids) for ids in self.tokenizer(inputs, verbose=False).input_ids]
        order = sorted(range(len(inputs)), key=lambda k: -lengths[k])
        bar.total += len(inputs)
        bar.refresh()
        outputs = [""] * len(inputs)
        start = 0
        while start < len(order):  # not range(): the batch size can shrink on the way
            batch = order[start : start + self.batch_size]
            for k, summary in zip(batch, self._generate_fitting([inputs[k] for k in batch])):
                outputs[k] = summary
            bar.update(len(batch))
            start += len(batch)
        return outputs

    def _generate_fitting(self, inputs: list[str]) -> list[str]:
        """:meth:`_generate_batch`, halving the batch (for this and later batches) when memory runs out.

        A batch that fits on one machine can exhaust a smaller GPU or a busy CPU; dying there
        would throw away the run, while half the batch usually fits at little cost in speed.
        """
        try:
            return self._generate_batch(inputs)
        except (RuntimeError, MemoryError) as exc:  # torch.OutOfMemoryError is a RuntimeError
            if not _out_of_memory(exc):
                raise
            if len(inputs) == 1:
                raise SummarizerError(
                    f"Out of memory while summarizing a single input of the model '{self.name}' on {self.device}. "
                    "Lower model.max_input_tokens or length.num_beams, or run on another device (model.device)."
                ) from exc
            if self.device == "cuda":
                torch.cuda.empty_cache()
            half = len(inputs) // 2
            self.batch_size = min(self.batch_size, half)
            log.warning("out of memory with %d inputs per batch on %s; retrying with %d (model.batch_size).", len(inputs), self.device, half)
            return self._generate_fitting(inputs[:half]) + self._generate_fitting(inputs[half:])

    def _generate_batch(self, inputs: list[str]) -> list[str]:
        """One backend call, decoded to clean text.

        Spaces are cleaned by folding whitespace, not by transformers'
        ``clean_up_tokenization_spaces``, which v5 refuses (with a warning) for BPE tokenizers
        because it deletes the space before punctuation.
        """
        generated = self.backend.generate(self.tokenizer(inputs, verbose=False).input_ids)
        decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True, clean_up_tokenization_spaces=False)
        return [" ".join(text.split()) for text in decoded]


class TransformersBackend:
    """Generate with ``AutoModelForSeq2SeqLM.generate`` (the reference engine).

    Precision (``model.quantization``): "auto" and "none" run fp32 on CPU; on a GPU "auto" runs
    bf16 where supported, else fp16; "int8" applies torch's dynamic int8 quantization to the
    Linear layers (CPU only; torch deprecates the API, so its warning is silenced here).
    """

    name = "transformers"

    def __init__(self, source: ModelSource, decoding: Decoding):
        dtype = _torch_dtype(source.device, source.quantization)
        try:
            self.model = AutoModelForSeq2SeqLM.from_pretrained(source.folder, dtype=dtype, local_files_only=True)
        except Exception as exc:  # transformers raises many types; the user needs one message
            raise _explain(exc, source.name, source.revision) from exc
        self.model.to(source.device).eval()
        precision = str(dtype).removeprefix("torch.")
        if source.quantization == "int8":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
            precision = "int8"
        self.engine = f"{self.name}/{precision}/{source.device}"
        self.device = source.device
        self.pad_token_id = source.pad_token_id
        self.eos_token_id = decoding.eos_token_id
        self.generation_config = _generation_config(self.model.generation_config, decoding)

    def generate(self, batch: list[list[int]]) -> list[list[int]]:
        """New token ids per input, EOS kept, padding dropped.

        Padding goes right, to the batch's longest input: with left padding, models with absolute
        positions (BART) would see shifted positions and batched results would differ from
        unbatched ones.
        """
        longest = max(len(ids) for ids in batch)
        input_ids = torch.tensor([ids + [self.pad_token_id] * (longest - len(ids)) for ids in batch], device=self.device)
        mask = torch.tensor([[1] * len(ids) + [0] * (longest - len(ids)) for ids in batch], device=self.device)
        with torch.inference_mode():
            generated = self.model.generate(input_ids=input_ids, attention_mask=mask, generation_config=self.generation_config)
        rows = generated[:, 1:].tolist()  # position 0 is the decoder start token
        return [row[: row.index(self.eos_token_id) + 1] if self.eos_token_id in row else row for row in rows]


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is a device or host out-of-memory failure (torch words it several ways)."""
    return isinstance(exc, (torch.OutOfMemoryError, MemoryError)) or "out of memory" in str(exc).lower()


def _spans(sentences: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``sentences`` inside ``" ".join(sentences)``."""
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return spans


# --- settings --------------------------------------------------------------------------------


def _pick_device(wanted: str) -> str:
    """The device asked for, or for "auto" the best one present: CUDA, then MPS, then CPU."""
    available = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    if wanted == "auto":
        return next(device for device, present in available.items() if present)
    if not available[wanted]:
        raise ModelLoadError(
            f"model.device is '{wanted}' but this machine (torch {torch.__version__}) has no {wanted.upper()} "
            "device. Set model.device to 'auto' (CUDA, then MPS, then CPU) or 'cpu'."
        )
    return wanted


def _input_window(
    configured: Optional[int], tokenizer: PreTrainedTokenizerBase, config: PreTrainedConfig, name: str
) -> int:
    """Input tokens per ``generate`` call: the configured window, else the model's own.

    The model's own is what its tokenizer declares, else its position table (LED's encoder table
    is ``max_encoder_position_embeddings``), else 512 for relative-position models such as T5.
    """
    positions = getattr(config, "max_encoder_position_embeddings", None) or getattr(
        config, "max_position_embeddings", None
    )
    if configured is not None:
        if positions is not None and configured > positions:
            raise ModelLoadError(
                f"model.max_input_tokens is {configured}, but {name} has position embeddings for only "
                f"{positions} input tokens. Set model.max_input_tokens to {positions} or less, or to null "
                "to use the model's own window."
            )
        return configured
    declared = tokenizer.model_max_length
    if declared < UNSET_MODEL_MAX_LENGTH:
        return min(declared, positions) if positions else declared
    return positions or RELATIVE_POSITION_WINDOW


def _torch_dtype(device: str, quantization: str) -> torch.dtype:
    """fp32 on CPU (int8 is applied after loading); on a GPU with "auto", bf16 where supported, else fp16."""
    if quantization == "int8" and device != "cpu":
        raise ModelLoadError(
            f"model.quantization 'int8' with model.backend 'transformers' runs on CPU only, not on {device}. "
            "Set model.quantization to 'auto' (fp16/bf16 on a GPU) or model.backend to 'ctranslate2'."
        )
    if quantization != "auto" or device == "cpu":
        return torch.float32
    return torch.bfloat16 if device == "cuda" and torch.cuda.is_bf16_supported() else torch.float16


def _checkpoint_generation_config(folder: Path, config: PreTrainedConfig) -> GenerationConfig:
    """The checkpoint's own generation defaults, as ``model.generation_config`` would hold them."""
    if (folder / "generation_config.json").is_file():
        return GenerationConfig.from_pretrained(folder)
    return GenerationConfig.from_model_config(config)


def _decoding(model_default: GenerationConfig, length: LengthSettings) -> Decoding:
    """The checkpoint's generation defaults with our length and decoding settings on top.

    Starting from the checkpoint's config keeps what it needs (``decoder_start_token_id``,
    ``forced_bos_token_id``, ``forced_eos_token_id``); our settings override its lengths.
    """
    eos = model_default.eos_token_id
    beams = length.num_beams > 1
    return Decoding(
        decoder_start_token_id=model_default.decoder_start_token_id,
        eos_token_id=eos[0] if isinstance(eos, list) else eos,
        forced_bos_token_id=model_default.forced_bos_token_id,
        forced_eos_token_id=model_default.forced_eos_token_id,
        min_new_tokens=length.resolved_min_new_tokens,
        max_new_tokens=length.resolved_max_new_tokens,
        num_beams=length.num_beams,
        no_repeat_ngram_size=length.no_repeat_ngram_size,
        length_penalty=length.length_penalty if beams else 1.0,
    )


def _generation_config(model_default: GenerationConfig, decoding: Decoding) -> GenerationConfig:
    """The model's own generation config with ``decoding`` on top, for ``generate``.

    Beam-only options are reset for greedy decoding so a checkpoint's beam defaults do not
    trigger warnings.
    """
    config = copy.deepcopy(model_default)
    config.update(
        min_new_tokens=decoding.min_new_tokens,
        max_new_tokens=decoding.max_new_tokens,
        num_beams=decoding.num_beams,
        no_repeat_ngram_size=decoding.no_repeat_ngram_size,
        length_penalty=decoding.length_penalty,
        early_stopping=decoding.num_beams > 1,
        do_sample=False,
    )
    return config


# --- loading ---------------------------------------------------------------------------------


class _NotCached(ModelLoadError):
    """A hub id whose files are not in the local cache (a download may still fix it)."""


_Loaded = tuple[PreTrainedTokenizerBase, PreTrainedConfig, Path]  # tokenizer, config, folder with the weights


def _load(name: str, revision: Optional[str]) -> _Loaded:
    """Tokenizer, config and weights folder: a local folder, else the cache, else the hub.

    The weights themselves are read by the backend (:mod:`summarizer.backends`), so an engine
    that runs a converted copy never holds the fp32 model in memory.
    """
    folder = _local_folder(name)
    if folder is not None:
        return _attempt(str(folder), None, name, local_files_only=True)
    try:
        return _attempt(name, revision, name, local_files_only=True)
    except _NotCached:
        _require_hub(name, revision)
    return _attempt(name, revision, name, local_files_only=False)


def _local_folder(name: str) -> Optional[Path]:
    """The folder ``name`` points to, None for a hub id; raise if it looks like a path but is no model folder."""
    path = Path(name).expanduser()
    looks_like_path = name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name
    if not path.exists():
        if looks_like_path:
            raise ModelLoadError(
                f"Model folder {name} does not exist. Set model.name to a folder holding config.json, the "
                "weights and the tokenizer files, or to a Hugging Face hub id such as "
                "'sshleifer/distilbart-cnn-12-6'."
            )
        return None
    missing = []
    if not (path / "config.json").is_file():
        missing.append("config.json")
    if not any(next(path.glob(pattern), None) for pattern in WEIGHT_PATTERNS):
        missing.append("weights (*.safetensors or pytorch_model.bin)")
    if missing:
        raise ModelLoadError(
            f"Model folder {name} is missing {' and '.join(missing)}. Point model.name at a complete model "
            "folder (what save_pretrained() writes, or a hub snapshot), or at a hub id."
        )
    return path


def _attempt(source: str, revision: Optional[str], name: str, local_files_only: bool) -> _Loaded:
    """:func:`_from_pretrained` with every library failure turned into one :class:`ModelLoadError`."""
    try:
        return _from_pretrained(source, revision, name, local_files_only)
    except ModelLoadError:
        raise
    except Exception as exc:  # transformers and huggingface_hub raise many types; the user needs one message
        raise _explain(exc, name, revision) from exc


def _from_pretrained(source: str, revision: Optional[str], name: str, local_files_only: bool) -> _Loaded:
    """Config first, so a model of the wrong kind is refused before anything else is read."""
    options = {"revision": revision, "local_files_only": local_files_only}
    config = AutoConfig.from_pretrained(source, **options)
    if type(config) not in MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING:
        raise ModelLoadError(
            f"{name} is a '{config.model_type}' model, not an encoder-decoder (seq2seq) model, so it cannot "
            f"write summaries. Use a summarization checkpoint of a supported family: {SUPPORTED_FAMILIES} "
            "(e.g. 'sshleifer/distilbart-cnn-12-6' or 'google/flan-t5-base' with model.prefix 'summarize: ')."
        )
    tokenizer = AutoTokenizer.from_pretrained(source, **options)
    _require_vocabulary(tokenizer, name)
    if Path(source).is_dir():
        return tokenizer, config, Path(source)
    folder = Path(snapshot_download(source, allow_patterns=list(SNAPSHOT_PATTERNS), **options))
    if not any(next(folder.glob(pattern), None) for pattern in WEIGHT_PATTERNS):
        raise _NotCached(_not_cached_message(name, f" at revision '{revision}'" if revision else "", "its weights are not cached"))
    return tokenizer, config, folder


def _require_vocabulary(tokenizer: PreTrainedTokenizerBase, name: str) -> None:
    """Refuse an empty tokenizer: without its files transformers v5 builds one with only special tokens."""
    ids = tokenizer("The council approved the budget.", add_special_tokens=False).input_ids
    if not set(ids) - set(tokenizer.all_special_ids):
        raise ModelLoadError(
            f"The tokenizer of {name} has no vocabulary (it knows only special tokens), so its tokenizer files "
            "are missing. Add tokenizer.json (or vocab.json + merges.txt, or spiece.model) and "
            "tokenizer_config.json to the model folder, e.g. with tokenizer.save_pretrained(folder)."
        )


def _explain(exc: Exception, name: str, revision: Optional[str]) -> ModelLoadError:
    """The user's version of a loading failure: what happened and what to do."""
    at = f" at revision '{revision}'" if revision else ""
    if _caused_by(exc, GatedRepoError):
        return ModelLoadError(
            f"{name} is a gated model on the Hugging Face hub: accept its terms on its hub page, then log in "
            "with `hf auth login` and run again."
        )
    if _caused_by(exc, RepositoryNotFoundError):
        return ModelLoadError(
            f"There is no model '{name}' on the Hugging Face hub (or it is private). Check the spelling of "
            "model.name, log in with `hf auth login` if it is private, or point model.name at a local folder."
        )
    if _caused_by(exc, RevisionNotFoundError):
        return ModelLoadError(
            f"Model {name} has no revision '{revision}'. Set model.revision to an existing branch, tag or "
            "commit, or to null for the default branch."
        )
    if _caused_by(exc, HFValidationError):
        return ModelLoadError(
            f"model.name '{name}' is neither an existing folder nor a valid hub id ('owner/name'). Fix the "
            "path or the id."
        )
    if _caused_by(exc, LocalEntryNotFoundError):
        return _NotCached(_not_cached_message(name, at, "it could not be downloaded"))
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return ModelLoadError(
        f"Could not load model {name}{at}: {first_line} Check that model.name is a seq2seq summarization "
        f"model ({SUPPORTED_FAMILIES}) and that its files are complete."
    )


def _require_hub(name: str, revision: Optional[str]) -> None:
    """Raise unless a download can work: offline mode is off and the hub host answers.

    Read from the environment at call time (huggingface_hub reads it once, at import).
    """
    at = f" at revision '{revision}'" if revision else ""
    if any(os.environ.get(flag, "").upper() in _TRUE for flag in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")):
        raise ModelLoadError(_not_cached_message(name, at, "offline mode is on (HF_HUB_OFFLINE=1)"))
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if not _hub_reachable(endpoint):
        raise ModelLoadError(_not_cached_message(name, at, f"the hub at {endpoint} cannot be reached"))


def _hub_reachable(endpoint: str) -> bool:
    """Whether a TCP connection to the hub host opens within :data:`HUB_PROBE_TIMEOUT` seconds."""
    url = urlsplit(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=HUB_PROBE_TIMEOUT).close()
    except OSError:
        return False
    return True


def _not_cached_message(name: str, at: str, reason: str) -> str:
    return (
        f"Model {name}{at} is not in the local Hugging Face cache and {reason}. To fix: run once with network "
        f"access so it is downloaded and cached; or download it ahead with `hf download {name}` (older "
        f"huggingface_hub: `huggingface-cli download {name}`); or point model.name at a local model folder; "
        "or use `--config extractive`, which needs no model and works offline."
    )


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or any exception it was raised from is a ``kind``."""
    chain: list[BaseException] = []
    link: Optional[BaseException] = exc
    while link is not None and link not in chain:  # chains can loop back on themselves
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(isinstance(link, kind) for link in chain)
