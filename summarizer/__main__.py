"""``python -m summarizer``: see :mod:`summarizer.cli`."""

from .cli import main

main(prog_name="python -m summarizer")
