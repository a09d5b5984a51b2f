"""The transformers side of the seq2seq stage: reading a checkpoint and the ``transformers`` backend.

The seq2seq stage's only module that imports ``transformers`` and ``torch`` (importing
transformers imports torch: about 400 MB before any weights). :mod:`summarizer.summarize.seq2seq` imports it only when it needs
it: to read a checkpoint the first time, to pick a device, or to generate with transformers.
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import Callable, Optional, TypeVar

import torch
import transformers
from transformers import (
    MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING,
    AutoConfig,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    DynamicCache,
    EncoderDecoderCache,
    GenerationConfig,
    PreTrainedTokenizerBase,
)

from ..errors import ModelLoadError
from .backends import Decoding, ModelSource
from .checkpoint import (
    SUPPORTED_FAMILIES,
    Checkpoint,
    NotCached,
    explain,
    local_folder,
    require_hub,
    snapshot,
)

T = TypeVar("T")
UNSET_MODEL_MAX_LENGTH = 1_000_000  # tokenizers that declare no limit report ~1e30; anything above is "unset"


def describe(name: str, revision: Optional[str]) -> Checkpoint:
    """Find the checkpoint (local folder, else the cache, else the hub) and read what the stage needs.

    The weights themselves are read by the backend (:mod:`summarizer.summarize.backends`), so an engine
    that runs a converted copy never holds the fp32 model in memory.

    Raises:
        ModelLoadError: not found, not downloadable, not a seq2seq model, or incomplete; the
            message says what to do.
    """
    folder = local_folder(name)
    if folder is None:
        try:
            folder = _attempt(name, revision, lambda: snapshot(name, revision, local_files_only=True))
        except NotCached:
            require_hub(name, revision)
            folder = _attempt(name, revision, lambda: snapshot(name, revision, local_files_only=False))
    return _attempt(name, revision, lambda: _read(name, revision, folder))


def _attempt(name: str, revision: Optional[str], step: Callable[[], T]) -> T:
    """``step()`` with every library failure turned into one :class:`ModelLoadError` about ``name``."""
    try:
        return step()
    except ModelLoadError:
        raise
    except Exception as exc:  # transformers and huggingface_hub raise many types; the user needs one message
        raise explain(exc, name, revision) from exc


def _read(name: str, revision: Optional[str], folder: Path) -> Checkpoint:
    """Config first, so a model of the wrong kind is refused before the tokenizer is read."""
    config = AutoConfig.from_pretrained(folder)
    if type(config) not in MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING:
        raise ModelLoadError(
            f"{name} is a '{config.model_type}' model, not an encoder-decoder (seq2seq) model, so it cannot "
            f"write summaries. Use a summarization checkpoint of a supported family: {SUPPORTED_FAMILIES} "
            "(e.g. 'sshleifer/distilbart-cnn-12-6' or 'google/flan-t5-base' with model.prefix 'summarize: ')."
        )
    _require_converter(folder, name)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    _require_vocabulary(tokenizer, name)
    if (folder / "generation_config.json").is_file():  # the checkpoint's own generation defaults
        defaults = GenerationConfig.from_pretrained(folder)
    else:
        defaults = GenerationConfig.from_model_config(config)
    eos = defaults.eos_token_id
    declared = tokenizer.model_max_length
    return Checkpoint(
        name=name,
        revision=revision,
        folder=folder,
        architecture=type(config).__name__,
        # LED's encoder table is max_encoder_position_embeddings
        positions=getattr(config, "max_encoder_position_embeddings", None) or getattr(config, "max_position_embeddings", None),
        model_max_length=declared if declared < UNSET_MODEL_MAX_LENGTH else None,
        decoder_start_token_id=defaults.decoder_start_token_id,
        eos_token_id=eos[0] if isinstance(eos, list) else eos,
        forced_bos_token_id=defaults.forced_bos_token_id,
        forced_eos_token_id=defaults.forced_eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        # standard names through each config's attribute_map; the decoder depth has no standard name
        d_model=config.hidden_size,
        heads=config.num_attention_heads,
        decoder_layers=getattr(config, "decoder_layers", None) or getattr(config, "num_decoder_layers", None) or config.num_hidden_layers,
        vocab_size=config.vocab_size,
        tokenizer_json=tokenizer.backend_tokenizer.to_str(),
        transformers_version=transformers.__version__,
    )


def _require_converter(folder: Path, name: str) -> None:
    """Refuse early, in one sentence, a SentencePiece-only tokenizer that cannot be converted.

    A checkpoint shipping ``spiece.model`` without ``tokenizer.json`` (csebuetnlp's mT5 XL-Sum
    does) is converted to a fast tokenizer by transformers with protobuf; without protobuf,
    transformers prints a warning paragraph and fails asking for tiktoken, which does not help.
    """
    if (folder / "tokenizer.json").is_file() or next(folder.glob("*.model"), None) is None:
        return
    try:
        import google.protobuf  # noqa: F401  (only whether it imports matters)
    except ImportError:
        raise ModelLoadError(
            f"The tokenizer of {name} comes as a SentencePiece model only (no tokenizer.json), and reading it "
            "needs the protobuf package, which is not installed. Install it (`pip install protobuf`, a dependency "
            "of this package) and run again."
        ) from None


def _require_vocabulary(tokenizer: PreTrainedTokenizerBase, name: str) -> None:
    """Refuse an empty tokenizer: without its files transformers v5 builds one with only special tokens."""
    ids = tokenizer("The council approved the budget.", add_special_tokens=False).input_ids
    if not set(ids) - set(tokenizer.all_special_ids):
        raise ModelLoadError(
            f"The tokenizer of {name} has no vocabulary (it knows only special tokens), so its tokenizer files "
            "are missing. Add tokenizer.json (or vocab.json + merges.txt, or spiece.model) and "
            "tokenizer_config.json to the model folder, e.g. with tokenizer.save_pretrained(folder)."
        )


def pick_device(wanted: str) -> str:
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


class TransformersBackend:
    """Generate with ``AutoModelForSeq2SeqLM.generate`` (the reference engine).

    Precision (``model.quantization``): "auto" and "none" run fp32 on CPU; on a GPU "auto" runs
    bf16 where supported, else fp16; "int8" applies torch's dynamic int8 quantization to the
    Linear layers (CPU only; torch deprecates the API, so its warning is silenced here).
    """

    name = "transformers"

    def __init__(self, source: ModelSource, decoding: Decoding):
        checkpoint = source.checkpoint
        dtype = _torch_dtype(source.device, source.quantization)
        try:
            self.model = AutoModelForSeq2SeqLM.from_pretrained(checkpoint.folder, dtype=dtype, local_files_only=True)
        except Exception as exc:  # transformers raises many types; the user needs one message
            raise explain(exc, checkpoint.name, checkpoint.revision) from exc
        self.model.to(source.device).eval()
        precision = str(dtype).removeprefix("torch.")
        if source.quantization == "int8":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
            precision = "int8"
        self.engine = f"{self.name}/{precision}/{source.device}"
        self.device = source.device
        self.pad_token_id = checkpoint.pad_token_id
        self.eos_token_id = decoding.eos_token_id
        self.generation_config = _generation_config(self.model.generation_config, decoding)
        self.global_first = checkpoint.architecture in GLOBAL_FIRST_TOKEN

    def generate(self, batch: list[list[int]], max_new_tokens: Optional[int] = None) -> list[list[int]]:
        """New token ids per input, EOS kept, padding dropped.

        Padding goes right, to the batch's longest input: with left padding, models with absolute
        positions (BART) would see shifted positions and batched results would differ from
        unbatched ones. After running out of GPU memory the allocator's cache is emptied, so the
        caller's smaller retry can use it.
        """
        longest = max(len(ids) for ids in batch)
        input_ids = torch.tensor([ids + [self.pad_token_id] * (longest - len(ids)) for ids in batch], device=self.device)
        mask = torch.tensor([[1] * len(ids) + [0] * (longest - len(ids)) for ids in batch], device=self.device)
        cache = _BeamCache(DynamicCache(config=self.model.config), DynamicCache(config=self.model.config))
        extra = {"global_attention_mask": _first_token_global(mask)} if self.global_first else {}
        try:
            with torch.inference_mode():
                generated = self.model.generate(
                    input_ids=input_ids, attention_mask=mask, generation_config=self._config(max_new_tokens), past_key_values=cache, **extra
                )
        except torch.OutOfMemoryError:
            if self.device == "cuda":
                torch.cuda.empty_cache()
            raise
        rows = generated[:, 1:].tolist()  # position 0 is the decoder start token
        return [row[: row.index(self.eos_token_id) + 1] if self.eos_token_id in row else row for row in rows]

    def _config(self, max_new_tokens: Optional[int]) -> GenerationConfig:
        """The generation config, with a tighter length limit when one is asked for."""
        if max_new_tokens is None:
            return self.generation_config
        config = copy.deepcopy(self.generation_config)
        config.update(max_new_tokens=max_new_tokens, min_new_tokens=min(config.min_new_tokens, max_new_tokens))
        return config


#: Architectures whose encoder attends locally except where ``global_attention_mask`` says: LED
#: (Longformer). Without the mask no token sees the whole article; its summarization checkpoints
#: are trained with global attention on the first token (Beltagy et al. 2020, and the
#: ``pszemraj/led-base-book-summary`` card), which is what :func:`_first_token_global` gives.
GLOBAL_FIRST_TOKEN = frozenset({"LEDConfig"})


def _first_token_global(mask: torch.Tensor) -> torch.Tensor:
    """A ``global_attention_mask`` for a right-padded batch: 1 on each input's first token, 0 elsewhere."""
    mask = torch.zeros_like(mask)
    mask[:, 0] = 1
    return mask


class _BeamCache(EncoderDecoderCache):
    """The generation cache, minus a copy beam search never needs.

    At every step transformers re-orders the whole cache by the beams kept. A beam is only ever
    replaced by another beam of the same input, and every beam of an input holds the same
    cross-attention keys and values (computed from the same encoder output), so re-ordering the
    cross-attention cache copies rows onto identical rows. Only the self-attention cache, which
    differs between beams, is re-ordered here; outputs are unchanged (tests/summarize/test_seq2seq.py).
    """

    def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
        self.self_attention_cache.reorder_cache(beam_idx)


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
