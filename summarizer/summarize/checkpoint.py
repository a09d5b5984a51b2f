"""What the seq2seq stage knows about a checkpoint, and finding its files, without transformers.

:class:`Checkpoint` is plain data: the folder, the architecture, the window, the generation
defaults and the tokenizer (as ``tokenizers`` JSON). :func:`summarizer.summarize.hf.describe` reads it with
transformers; the CTranslate2 backend stores it next to its converted weights, so later runs of
a converted model need neither transformers nor torch (about 400 MB less memory: importing
transformers imports torch).

Finding the files uses only ``huggingface_hub``: a local folder is checked for a config and
weights, a hub id is looked up in the local cache, and the network is tried only when offline
mode is off and the hub answers a 3-second connect, because otherwise transformers retries for
about 48 seconds before failing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from huggingface_hub import snapshot_download
from huggingface_hub.errors import (
    GatedRepoError,
    HFValidationError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from tokenizers import Tokenizer

from ..errors import ModelLoadError
from ..storage import atomic_write
from .cache import WEIGHT_PATTERNS

SUPPORTED_FAMILIES = "BART, DistilBART, PEGASUS, T5/FLAN-T5, mT5 and LED"
HUB_PROBE_TIMEOUT = 3.0  # seconds to wait for a TCP connect to the hub before calling it unreachable
# files of a hub snapshot that loading needs: config, tokenizer, weights (not TF/Flax/ONNX copies)
SNAPSHOT_PATTERNS = ("*.json", "*.txt", "*.model", *WEIGHT_PATTERNS)
_TRUE = {"1", "ON", "YES", "TRUE"}  # what huggingface_hub accepts as "set" in environment flags


@dataclass(frozen=True)
class Checkpoint:
    """A seq2seq checkpoint as the summarizer uses it, read once with transformers."""

    name: str  # model.name as configured (hub id or folder), for messages and cache keys
    revision: Optional[str]
    folder: Path  # the local folder holding config and weights (a hub snapshot for hub ids)
    architecture: str  # the transformers config class, e.g. "BartConfig"
    positions: Optional[int]  # the encoder's position table, None for relative positions (T5)
    model_max_length: Optional[int]  # what the tokenizer declares, None when it declares nothing
    decoder_start_token_id: int
    eos_token_id: int
    forced_bos_token_id: Optional[int]  # BART-CNN forces <s> as the first new token
    forced_eos_token_id: Optional[int]  # forced as the last token when max_new_tokens is reached
    pad_token_id: int
    d_model: int  # the model's width, heads, decoder depth and vocabulary, for model.batch_size auto
    heads: int
    decoder_layers: int
    vocab_size: int
    tokenizer_json: str  # the fast tokenizer, serialised by the tokenizers library
    transformers_version: str  # that read it: another version may build the tokenizer differently

    def tokenizer(self) -> Tokenizer:
        """The tokenizer, encoding exactly as transformers' does: no truncation, no padding."""
        tokenizer = Tokenizer.from_str(self.tokenizer_json)
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    def save(self, path: Path) -> None:
        """Write as JSON, atomically (a killed run leaves the old file or none)."""
        atomic_write(path, json.dumps({**dataclasses.asdict(self), "folder": str(self.folder)}))

    @classmethod
    def load(cls, path: Path, name: str, revision: Optional[str], folder: Path) -> "Checkpoint":
        """Read what :meth:`save` wrote, for the model as configured now (name and folder may differ)."""
        fields = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**fields, "name": name, "revision": revision, "folder": folder})


def local_folder(name: str) -> Optional[Path]:
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


def snapshot(name: str, revision: Optional[str], local_files_only: bool) -> Path:
    """The snapshot folder of hub id ``name`` with config, tokenizer and weights.

    Raises:
        NotCached: with ``local_files_only``, the files are not all in the local cache.
    """
    options = {"revision": revision, "local_files_only": local_files_only}
    folder = Path(snapshot_download(name, allow_patterns=list(SNAPSHOT_PATTERNS), **options))
    if not any(next(folder.glob(pattern), None) for pattern in WEIGHT_PATTERNS):
        raise NotCached(not_cached_message(name, _at(revision), "its weights are not cached"))
    return folder


def cached_folder(name: str, revision: Optional[str]) -> Optional[Path]:
    """The model's local folder or cached snapshot; None when it is not on this machine (no network)."""
    try:
        return local_folder(name) or snapshot(name, revision, local_files_only=True)
    except Exception:  # not cached, or not a valid id: the caller takes the path that explains it
        return None


class NotCached(ModelLoadError):
    """A hub id whose files are not in the local cache (a download may still fix it)."""


def require_hub(name: str, revision: Optional[str]) -> None:
    """Raise unless a download can work: offline mode is off and the hub host answers.

    Read from the environment at call time (huggingface_hub reads it once, at import).
    """
    if any(os.environ.get(flag, "").upper() in _TRUE for flag in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")):
        raise ModelLoadError(not_cached_message(name, _at(revision), "offline mode is on (HF_HUB_OFFLINE=1)"))
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if not hub_reachable(endpoint):
        raise ModelLoadError(not_cached_message(name, _at(revision), f"the hub at {endpoint} cannot be reached"))


def hub_reachable(endpoint: str) -> bool:
    """Whether a TCP connection to the hub host opens within :data:`HUB_PROBE_TIMEOUT` seconds."""
    url = urlsplit(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=HUB_PROBE_TIMEOUT).close()
    except OSError:
        return False
    return True


def not_cached_message(name: str, at: str, reason: str) -> str:
    return (
        f"Model {name}{at} is not in the local Hugging Face cache and {reason}. To fix: run once with network "
        f"access so it is downloaded and cached; or download it ahead with `hf download {name}` (older "
        f"huggingface_hub: `huggingface-cli download {name}`); or point model.name at a local model folder; "
        "or use `--config extractive`, which needs no model and works offline."
    )


def explain(exc: Exception, name: str, revision: Optional[str]) -> ModelLoadError:
    """The user's version of a loading failure: what happened and what to do."""
    at = _at(revision)
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
        return NotCached(not_cached_message(name, at, "it could not be downloaded"))
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return ModelLoadError(
        f"Could not load model {name}{at}: {first_line} Check that model.name is a seq2seq summarization "
        f"model ({SUPPORTED_FAMILIES}) and that its files are complete."
    )


def _at(revision: Optional[str]) -> str:
    return f" at revision '{revision}'" if revision else ""


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or any exception it was raised from is a ``kind``."""
    chain: list[BaseException] = []
    link: Optional[BaseException] = exc
    while link is not None and link not in chain:  # chains can loop back on themselves
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(isinstance(link, kind) for link in chain)
