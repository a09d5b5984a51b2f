"""Folder names from input names: cluster ids and config names made safe to join onto a folder.

The one place that turns a name the input chose into a path component, for every writer (the
local run, the Ray actors, the comparison) and for the links ``index.html`` and ``report.html``
make to those folders.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..errors import OutputError


def safe_name(name: str) -> str:
    """``name`` as one file-system folder name that stays inside the folder it is joined onto.

    Cluster ids and config names come from the input (a JSONL field, a CSV column, a dataset),
    so ``../x`` or ``/abs`` must not climb out of ``--output`` or replace it: every run of
    characters other than letters, digits, ``.``, ``-`` and ``_`` becomes ``_``, and leading dots
    go (no ``..``, no hidden folder). A name already safe is kept as it is.
    """
    return re.sub(r"[^\w.-]+", "_", name).lstrip(".") or "_"


def safe_names(names: Iterable[str], what: str) -> dict[str, str]:
    """Each name's :func:`safe_name`, checked to be distinct before anything is written.

    Raises:
        OutputError: two names ``what`` (e.g. "cluster ids") clean to one folder name, which
            would write one's files over the other's.
    """
    folders: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name in names:
        folder = safe_name(name)
        first = owner.setdefault(folder, name)
        if first != name:
            raise OutputError(
                f"the {what} {first!r} and {name!r} would both be written to the folder {folder!r}. "
                f"Rename one of them in the input so that they differ in letters or digits."
            )
        folders[name] = folder
    return folders
