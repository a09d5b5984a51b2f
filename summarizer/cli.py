"""Command line: ``python -m summarizer run|configs``.

The only place that reads flags and the only place that turns an exception into a message and
an exit code: 2 for bad input or config, 1 for a failed run, 130 for Ctrl-C. A traceback is
shown only with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .config import list_configs, load_config
from .errors import SummarizerError
from .output import render_markdown
from .pipeline import run as run_pipeline


class _Group(click.Group):
    """Turns library errors into one clear message and an exit code (unless --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SummarizerError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"summarizer: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("summarizer: interrupted; files already written are complete.", err=True)
            ctx.exit(130)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logs.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a cluster of news articles into one deduplicated, attributed digest."""
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="summarizer: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "urllib3", "huggingface_hub", "sentence_transformers", "datasets", "filelock"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.ERROR)


@main.command()
@click.argument("source")
@click.option("--config", "-c", "config_name", default="default", show_default=True, help="Config file, or the name of a shipped config.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config field, e.g. --set length.preset=short (repeatable).")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Also write digest.md and digest.json here.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def run(source: str, config_name: str, overrides: tuple[str, ...], output: Path | None, quiet: bool) -> None:
    """Digest the articles in SOURCE (a folder, a .jsonl/.json/.csv file, or a dataset name)."""
    config = load_config(config_name, overrides)
    run_pipeline(source, config, output=output, progress=not quiet, on_digest=lambda d: click.echo(render_markdown(d)))
    if output is not None:
        click.echo(f"summarizer: wrote digest.md and digest.json under {output}", err=True)


@main.command()
def configs() -> None:
    """List the shipped configs with their model and summary length."""
    rows = [("name", "method", "model", "length", "description")]
    for name, config in list_configs():
        rows.append((name, config.model.method, _model_label(config), _length_label(config), config.description))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])


def _model_label(config) -> str:
    return config.model.name if config.model.method == "abstractive" else "(none)"


def _length_label(config) -> str:
    length = config.length
    if config.model.method != "abstractive":
        return f"{length.preset}: {length.resolved_sentences} sentences/article"
    return f"{length.preset}: {length.resolved_min_new_tokens}-{length.resolved_max_new_tokens} tokens, beams {length.num_beams}"
