"""How many threads this process's numeric libraries may use: one budget for torch and CTranslate2.

The budget is ``OMP_NUM_THREADS`` when it is set, the variable torch's OpenMP pool already obeys;
otherwise every core this process may run on. A Ray actor is given ``cpus_per_worker`` of a
node's cores (:func:`use_threads`), so fifteen actors on a 16-core node do not each start a
thread per core; CTranslate2 takes its thread counts as arguments, so its callers ask
:func:`cores` instead of counting the machine's cores themselves.
"""

from __future__ import annotations

import math
import os
import sys


def cores() -> int:
    """The threads this process may keep busy: ``OMP_NUM_THREADS`` if set to a positive
    number, else the cores it may run on (its CPU affinity, which containers and ``taskset``
    narrow)."""
    budget = os.environ.get("OMP_NUM_THREADS", "").strip()
    if budget.isdigit() and int(budget) > 0:
        return int(budget)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def use_threads(cpus: float) -> int:
    """Give this process a budget of ``cpus`` threads (rounded up, at least one) and return it.

    Sets ``OMP_NUM_THREADS``, which torch reads when it is imported, and tells torch directly
    when it is imported already; :func:`cores` then answers the same number.
    """
    threads = max(1, math.ceil(cpus))
    os.environ["OMP_NUM_THREADS"] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    return threads
