"""Abstractive stage: one summary per article from a seq2seq model (BART, PEGASUS, T5, LED).

transformers v5 removed ``pipeline("summarization")``, so this module does the pipeline's work
itself, in the same fixed order: load once → split into window-sized parts → batch → generate
→ decode.

Deviations from the old summarization pipeline, on purpose:

* No silent truncation. An article longer than the input window is split at sentence
  boundaries, every part is summarized, and the joined part summaries are summarized again
  (condensed further first if they still overflow), so the end of an article is never dropped.
* The engine is pluggable. Only "token ids in, token ids out" is delegated to a backend
  (:mod:`summarizer.summarize.backends`): transformers (:mod:`summarizer.summarize.hf`) or CTranslate2
  (:mod:`summarizer.summarize.ct2`). The splitting, sorting, batching and decoding stay here, with the
  ``tokenizers`` library, so every engine summarizes the same parts.
* transformers and torch are imported only when needed. A model already converted for
  CTranslate2 carries its :class:`~summarizer.summarize.checkpoint.Checkpoint` description, so running it
  needs neither (about 400 MB less memory); anything else reads the checkpoint with
  :func:`summarizer.summarize.hf.describe`.
"""

from __future__ import annotations

import logging
import sys
from typing import Callable, Optional, Sequence

import psutil
from tqdm import tqdm

from ..config import LengthSettings, ModelSettings
from ..text import split_sentences, word_count
from ..errors import ConfigError, ModelLoadError, SummarizerError
from .backends import (
    Backend,
    Decoding,
    ModelSource,
    installed,
    load_backend,
    resolve_backend,
)
from .checkpoint import Checkpoint

log = logging.getLogger(__name__)

RELATIVE_POSITION_WINDOW = 512  # tokens; window for models without a position table (T5 was trained on 512)
MIN_CONTENT_TOKENS = 8  # tokens of article text that must fit next to the prefix and special tokens
MAX_ROUNDS = 12  # summarize-the-summaries rounds before giving up on one article (halving: 4096 parts)
AUTO_BATCH_MEMORY_SHARE = 0.5  # of the memory available at load time, for model.batch_size auto
AUTO_BATCH_LIMIT = 64  # larger batches gain nothing on CPU and delay the summary cache's writes


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
        self.prefix = model.prefix
        self.languages = model.languages
        self.checkpoint, self.device, backend = _checkpoint(model)
        self.tokenizer = self.checkpoint.tokenizer()
        self.window = _input_window(model.max_input_tokens, self.checkpoint)
        self.decoding = _decoding(self.checkpoint, length)
        self.batch_size = model.batch_size
        if self.batch_size == "auto":
            self.batch_size = _auto_batch_size(self.checkpoint, self.window, self.decoding, self.device)
            log.info("model.batch_size auto: %d inputs per batch on %s", self.batch_size, self.device)
        source = ModelSource(self.checkpoint, self.device, model.quantization, model.resolved_converted_folder, self.batch_size)
        self.backend: Backend = load_backend(backend, source, self.decoding)
        self.engine = self.backend.engine  # part of the summary cache key: int8 and fp32 summaries differ
        self._overhead = self._count("")
        self._room = self.window - self._overhead  # tokens of article text one input can hold
        if self._room < MIN_CONTENT_TOKENS:
            raise ModelLoadError(
                f"The input window of {self.window} tokens leaves no room for article text after the prefix "
                f"{self.prefix!r} and special tokens ({self._overhead} tokens). Raise model.max_input_tokens "
                f"to at least {self._overhead + MIN_CONTENT_TOKENS} or shorten model.prefix."
            )

    def summarize(self, texts: Sequence[str], progress: bool = True, language: str = "en") -> list[tuple[str, int]]:
        """One (summary, number_of_chunks) per input text, same order. Empty text -> ("", 0).

        ``language`` is the texts' language: long articles are cut at its sentence boundaries.

        ``number_of_chunks`` is how many window-sized parts the article was cut into (1 when it
        fits). Articles are processed together: each round gathers the parts of every article
        that still needs work into one batched work list.

        Raises:
            ConfigError: an article could not be condensed into the window in ``MAX_ROUNDS``
                rounds (an article of thousands of window-sized parts).
        """
        parts = {i: self._split(text, language) for i, text in enumerate(texts) if text.strip()}
        chunks = {i: len(pieces) for i, pieces in parts.items()}
        summaries: dict[int, str] = {}
        limit = self.part_limit
        with tqdm(total=0, desc="summarizing", unit="piece", disable=None if progress else True, file=sys.stderr) as bar:
            for _ in range(MAX_ROUNDS):
                if not parts:
                    break
                outputs = self._generate_grouped(parts, bar, limit)
                summaries.update({i: out[0] for i, out in outputs.items() if len(out) == 1})
                joined = {i: out for i, out in outputs.items() if len(out) > 1}
                limit = self._tighter(limit, [summary for out in joined.values() for summary in out])
                parts = {i: self._split(" ".join(out), language) for i, out in joined.items()}
        if parts:
            raise ConfigError(self._not_condensed_message(min(parts), texts))
        return [(summaries[i], chunks[i]) if i in summaries else ("", 0) for i in range(len(texts))]

    # --- splitting -------------------------------------------------------------------------

    def _count(self, text: str) -> int:
        """Tokens the model sees for ``text``: prefix and special tokens included."""
        return len(self.tokenizer.encode(self.prefix + text).ids)

    def _fits(self, text: str) -> bool:
        return self._count(text) <= self.window

    def _split(self, text: str, language: str = "en") -> list[str]:
        """``text`` (stripped) if it fits the window, else consecutive sentence groups that each fit."""
        text = text.strip()
        if self._fits(text):
            return [text]
        sentences = split_sentences(text, language)
        joined = " ".join(sentences)
        counts = [len(encoding.ids) for encoding in self.tokenizer.encode_batch(sentences, add_special_tokens=False)]
        return self._pack(joined, _spans(sentences), counts, self._split_by_tokens)

    def _split_by_tokens(self, sentence: str) -> list[str]:
        """Last resort for one sentence longer than the window: cut it between tokens."""
        spans = [(start, end) for start, end in self.tokenizer.encode(sentence, add_special_tokens=False).offsets if end > start]
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
        parts: list[str] = []
        start = 0
        while start < len(spans):
            end, total = start + 1, counts[start]
            while end < len(spans) and total + counts[end] <= self._room:
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
            f"Article {index + 1} ({word_count(texts[index])} words) could not be condensed into the model's "
            f"{self.window}-token input window in {MAX_ROUNDS} rounds of summarizing its parts "
            f"(summaries of up to {self.decoding.max_new_tokens} tokens each). Lower length.max_new_tokens or "
            "length.preset, raise model.max_input_tokens, or cut long articles with data.max_article_words."
        )

    # --- generation ------------------------------------------------------------------------

    @property
    def part_limit(self) -> Optional[int]:
        """The first round's length cap for summaries of an article's parts; None when none is needed.

        Part summaries are joined and summarized again, so two of them must fit the window
        together or condensing never ends (a 128-token window and summaries of up to 120 tokens
        fail in every round). When two full-length summaries would overflow, the parts' summaries
        get half the window's room for text, and :meth:`_tighter` lowers that after a round whose
        summaries took more tokens when encoded again than were generated. ``min_new_tokens``
        does not bind them (backends clamp it to the cap): it is a wish for the article's final
        summary, which keeps the configured lengths.
        """
        return None if 2 * self.decoding.max_new_tokens <= self._room else self._room // 2

    def _tighter(self, limit: Optional[int], outputs: Sequence[str]) -> Optional[int]:
        """The next round's cap: ``limit`` lowered in proportion when a part summary in ``outputs``
        encodes to more than half the window's room (decoded text is not always encoded back to
        as many tokens as were generated: 1.5-2x for a random-weight BART's gibberish)."""
        if limit is None or not outputs:
            return limit
        half = self._room // 2
        longest = max(self._count(output) - self._overhead for output in outputs)
        return limit if longest <= half else max(1, limit * half // longest)

    def _generate_grouped(self, parts: dict[int, list[str]], bar: tqdm, limit: Optional[int]) -> dict[int, list[str]]:
        """Summaries of every article's parts, generated as one work list so batches mix articles
        (two lists when the parts of split articles are held to ``limit`` new tokens)."""
        flat = [(i, piece) for i, pieces in parts.items() for piece in pieces]
        capped = [limit is not None and len(parts[i]) > 1 for i, _ in flat]
        outputs = [""] * len(flat)
        for cap in sorted(set(capped)):
            chosen = [k for k, flag in enumerate(capped) if flag == cap]
            for k, output in zip(chosen, self._generate([flat[k][1] for k in chosen], bar, limit if cap else None)):
                outputs[k] = output
        grouped: dict[int, list[str]] = {i: [] for i in parts}
        for (i, _), output in zip(flat, outputs):
            grouped[i].append(output)
        return grouped

    def _generate(self, pieces: list[str], bar: tqdm, limit: Optional[int] = None) -> list[str]:
        """Summaries of ``pieces`` in input order, longest first in batches to keep padding small."""
        inputs = [encoding.ids for encoding in self.tokenizer.encode_batch([self.prefix + piece for piece in pieces])]
        order = sorted(range(len(inputs)), key=lambda k: -len(inputs[k]))
        bar.total += len(inputs)
        bar.refresh()
        outputs = [""] * len(inputs)
        start = 0
        while start < len(order):  # not range(): the batch size can shrink on the way
            batch = order[start : start + self.batch_size]
            for k, summary in zip(batch, self._generate_fitting([inputs[k] for k in batch], limit)):
                outputs[k] = summary
            bar.update(len(batch))
            start += len(batch)
        return outputs

    def _generate_fitting(self, inputs: list[list[int]], limit: Optional[int] = None) -> list[str]:
        """:meth:`_generate_batch`, halving the batch (for this and later batches) when memory runs out.

        A batch that fits on one machine can exhaust a smaller GPU or a busy CPU; dying there
        would throw away the run, while half the batch usually fits at little cost in speed.
        """
        try:
            return self._generate_batch(inputs, limit)
        except (RuntimeError, MemoryError) as exc:  # torch.OutOfMemoryError is a RuntimeError
            if not _out_of_memory(exc):
                raise
            if len(inputs) == 1:
                raise SummarizerError(
                    f"Out of memory while summarizing a single input of the model '{self.name}' on {self.device}. "
                    "Lower model.max_input_tokens or length.num_beams, or run on another device (model.device)."
                ) from exc
            half = len(inputs) // 2
            self.batch_size = min(self.batch_size, half)
            log.warning("out of memory with %d inputs per batch on %s; retrying with %d (model.batch_size).", len(inputs), self.device, half)
            return self._generate_fitting(inputs[:half], limit) + self._generate_fitting(inputs[half:], limit)

    def _generate_batch(self, inputs: list[list[int]], limit: Optional[int] = None) -> list[str]:
        """One backend call on token ids (at most ``limit`` new tokens each, when given), decoded to clean text.

        Spaces are cleaned by folding whitespace, not by transformers'
        ``clean_up_tokenization_spaces`` (which deletes the space before punctuation).
        """
        generated = self.backend.generate(inputs, limit)
        decoded = self.tokenizer.decode_batch(generated, skip_special_tokens=True)
        return [" ".join(text.split()) for text in decoded]


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is a device or host out-of-memory failure (torch and CTranslate2 word it several ways)."""
    return isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def _spans(sentences: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``sentences`` inside ``" ".join(sentences)``."""
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return spans


# --- settings --------------------------------------------------------------------------------


def _checkpoint(model: ModelSettings) -> tuple[Checkpoint, str, str]:
    """(checkpoint, device, backend) for ``model``: from a CTranslate2 conversion when one is
    ready (no transformers, no torch), else read with transformers."""
    if installed("ctranslate2"):
        from . import ct2  # CTranslate2 itself, no torch

        ready = ct2.prepared(model)
        if ready is not None:
            return *ready, "ctranslate2"
    from . import hf  # imports transformers and torch

    device = hf.pick_device(model.device)
    checkpoint = hf.describe(model.name, model.revision)
    return checkpoint, device, resolve_backend(model.backend, checkpoint.architecture, device)


def _auto_batch_size(checkpoint: Checkpoint, window: int, decoding: Decoding, device: str) -> int:
    """Inputs per ``generate`` call that fill at most :data:`AUTO_BATCH_MEMORY_SHARE` of the memory
    available now, by a deliberately high estimate of one input's fp32 working memory.

    Per input: the encoder's hidden states and feed-forward activations plus one layer's attention
    scores; every beam's cached self- and cross-attention keys and values (the largest part with
    beams); the scores over the vocabulary; twice that for allocator slack and temporaries. An
    estimate can still be wrong, so running out of memory halves the batch (see
    :meth:`Seq2SeqSummarizer._generate_fitting`).
    """
    encoder = window * checkpoint.d_model * 12 + checkpoint.heads * window * window
    caches = decoding.num_beams * checkpoint.decoder_layers * 2 * (window + decoding.max_new_tokens) * checkpoint.d_model
    scores = decoding.num_beams * checkpoint.vocab_size * 3
    per_input = 2 * 4 * (encoder + caches + scores)
    return max(1, min(AUTO_BATCH_LIMIT, int(_available_memory(device) * AUTO_BATCH_MEMORY_SHARE // per_input)))


def _available_memory(device: str) -> int:
    """Bytes free on ``device``: the GPU's own memory for CUDA, else the host's (MPS shares it)."""
    if device == "cuda":
        import torch  # a CUDA machine has it; CTranslate2 does not report free memory

        return torch.cuda.mem_get_info()[0]
    return psutil.virtual_memory().available


def _input_window(configured: Optional[int], checkpoint: Checkpoint) -> int:
    """Input tokens per ``generate`` call: the configured window, else the model's own.

    The model's own is what its tokenizer declares, else its position table, else 512 for
    relative-position models such as T5.
    """
    positions = checkpoint.positions
    if configured is not None:
        if positions is not None and configured > positions:
            raise ModelLoadError(
                f"model.max_input_tokens is {configured}, but {checkpoint.name} has position embeddings for only "
                f"{positions} input tokens. Set model.max_input_tokens to {positions} or less, or to null "
                "to use the model's own window."
            )
        return configured
    declared = checkpoint.model_max_length
    if declared is not None:
        return min(declared, positions) if positions else declared
    return positions or RELATIVE_POSITION_WINDOW


def _decoding(checkpoint: Checkpoint, length: LengthSettings) -> Decoding:
    """The checkpoint's generation defaults with our length and decoding settings on top.

    The checkpoint keeps what it needs (``decoder_start_token_id``, ``forced_bos_token_id``,
    ``forced_eos_token_id``); our settings override its lengths.
    """
    return Decoding(
        decoder_start_token_id=checkpoint.decoder_start_token_id,
        eos_token_id=checkpoint.eos_token_id,
        forced_bos_token_id=checkpoint.forced_bos_token_id,
        forced_eos_token_id=checkpoint.forced_eos_token_id,
        min_new_tokens=length.resolved_min_new_tokens,
        max_new_tokens=length.resolved_max_new_tokens,
        num_beams=length.num_beams,
        no_repeat_ngram_size=length.no_repeat_ngram_size,
        length_penalty=length.length_penalty if length.num_beams > 1 else 1.0,
    )
