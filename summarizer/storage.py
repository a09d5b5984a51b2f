"""Files on disk written safely: the atomic write every writer uses, output and cache folders.

Every stage writes something (digests, summary and vector caches, model conversions), and all of
them need the same two guarantees: a reader sees the old file or the new one, never half of one,
and a folder that cannot be created is reported with the setting that moves it. This module sits
in the package's spine, below every stage, so that the text layer's vector cache and the
summarize stage's caches need not import the output stage for them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def atomic_write(path: Path, text: str | bytes, durable: bool = True) -> None:
    """Write text (or bytes) to ``path`` so that readers see the old or the new content, never a mix.

    ``durable=False`` skips the fsync (about 5 ms a file here): for cache entries small and
    many enough that the fsync would cost more than recomputing one lost to a power cut; the
    rename still keeps readers from seeing a half-written file.
    """
    binary = isinstance(text, bytes)
    handle = tempfile.NamedTemporaryFile(
        "wb" if binary else "w", encoding=None if binary else "utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def cache_folder(folder: str | Path, what: str) -> Path:
    """Create a cache's ``folder`` (``what`` it holds names it in the error) and return it.

    Raises:
        OutputError: the folder cannot be created, with the settings that move or disable it.
    """
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{folder}: the {what} cache folder cannot be created ({exc.strerror}). "
            "Set cache.folder (or the SUMMARIZER_CACHE variable) to a writable folder, or pass --no-cache."
        ) from None
    return folder


def check_writable(folder: str | Path) -> Path:
    """Create ``folder`` if needed and prove it is writable, before any expensive work starts."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"{path}: the output folder cannot be written ({exc.strerror}). Choose another --output folder.") from None
    return path
