"""Keep what the integer-program solver prints off stdout, where ``run`` writes the digest.

HiGHS 1.12, the solver inside scipy's ``milp``, prints a debugging line
("HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();") straight to the C
library's stdout when it repairs a candidate solution, whatever the display options say (HiGHS
issue 2783, fixed after that release). Seen twice in a run over 70 clusters. ``run SOURCE >
digest.md`` would then hold a line that is not the digest, so the solve runs with file
descriptor 1 pointed at stderr: the line still reaches a terminal, but never the digest.
"""

from __future__ import annotations

import ctypes
import os
import sys
from contextlib import contextmanager
from typing import Iterator


def _flush_c_stdio() -> None:
    """Flush the C library's buffered streams, so that what the solver printed while fd 1 was
    stderr is written there, not later to the restored stdout (a pipe or file buffers fully)."""
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library to load by that name (Windows)
        pass


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Run the body with file descriptor 1 writing to stderr, Python's and C's buffers flushed
    on both sides; without real descriptors (some notebook kernels) the body runs as it is."""
    try:
        out, err = sys.__stdout__.fileno(), sys.__stderr__.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    _flush_c_stdio()
    saved = os.dup(out)
    os.dup2(err, out)
    try:
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, out)
        os.close(saved)
