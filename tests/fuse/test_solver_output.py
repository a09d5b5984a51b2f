"""The solver's stray prints go to stderr, not to the stdout that carries the digest."""

import ctypes
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from summarizer.fuse.solver_output import stdout_to_stderr


def test_descriptor_writes_go_to_stderr(capfd):
    print("before", flush=True)
    with stdout_to_stderr():
        os.write(1, b"solver noise\n")
    print("after", flush=True)
    out, err = capfd.readouterr()
    assert out == "before\nafter\n"
    assert "solver noise" in err


@pytest.mark.skipif(sys.platform == "win32", reason="C stdio through ctypes.CDLL(None) is POSIX")
def test_buffered_c_printf_goes_to_stderr():
    """HiGHS prints with C's printf, which buffers fully when stdout is a pipe or file: the line
    must be flushed to stderr before stdout comes back, or it lands in the digest at exit. A
    fresh process, so that C's stdout starts out buffered for a pipe (PYTHONUNBUFFERED, which
    would unbuffer it, left out)."""
    code = (
        "import ctypes\n"
        "from summarizer.fuse.solver_output import stdout_to_stderr\n"
        "with stdout_to_stderr():\n"
        "    ctypes.CDLL(None).printf(b'HighsMipSolverData noise\\n')\n"
        "print('digest')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout == "digest\n"
    assert "HighsMipSolverData noise" in done.stderr


def test_solve_under_redirect_restores_stdout(capfd):
    """A real solve under the redirect: stdout holds nothing, and the descriptor is restored."""
    with stdout_to_stderr():
        result = milp(c=-np.ones(3), constraints=[LinearConstraint(np.ones((1, 3)), -np.inf, 2)],
                      integrality=np.ones(3), bounds=Bounds(np.zeros(3), np.ones(3)))
    assert result.x is not None and round(result.x.sum()) == 2
    os.write(1, b"restored\n")
    out, _ = capfd.readouterr()
    assert out == "restored\n"
