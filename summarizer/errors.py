"""Exceptions that carry a message meant for the user.

Library code raises these; only the CLI turns them into a message and an exit code.
Every message says what went wrong, where (file, key, line), and what to do next.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class: a failure the user can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(SummarizerError):
    """The articles given cannot be read or hold nothing to summarize."""

    exit_code = 2


class ConfigError(SummarizerError):
    """A config file or a ``--set`` override is invalid."""

    exit_code = 2


class ModelLoadError(SummarizerError):
    """A summarization or embedding model could not be loaded."""

    exit_code = 2


class OutputError(SummarizerError):
    """The output folder cannot be written."""

    exit_code = 2


class IncompleteRunError(SummarizerError):
    """Some clusters of a run never came back (a distributed run's workers lost them)."""

    exit_code = 1
