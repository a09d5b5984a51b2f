"""What the benchmarks print about the machine they ran on (the README's tables name it)."""

from __future__ import annotations

import subprocess


def cpu_name() -> str:
    """The CPU model ``lscpu`` reports."""
    try:
        listing = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in listing.splitlines() if line.startswith("Model name")), "unknown CPU")
