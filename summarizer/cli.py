"""Command line: ``python -m summarizer run|compare|configs``.

The only place that reads flags and the only place that turns an exception into a message and
an exit code: 2 for bad input or config, 1 for a failed run, 130 for Ctrl-C. A traceback is
shown only with ``--debug``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .config import CompareSettings, EngineSettings, list_configs, load_config
from .errors import SummarizerError
from .output import render_markdown
from .storage import check_writable

# The pipeline and comparison modules are imported inside the commands that run them: they pull
# in numpy, scipy and datasets (1.3 s here), which --help, `configs` and a bad --config never need.


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
            click.echo(
                "summarizer: interrupted; files already written are complete, and article summaries "
                "already computed are cached: run the same command again to resume.",
                err=True,
            )
            ctx.exit(130)
        except BrokenPipeError:  # the reader left (`| head`): normal, so end as Unix tools do
            _drop_stdout()
            ctx.exit(128 + 13)  # a shell's status for a process ended by SIGPIPE
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own usage errors and exits (Exit is a RuntimeError)
        except Exception as exc:  # a bug or an environment failure: still one message, no traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"summarizer: error: the run failed unexpectedly ({type(exc).__name__}: {exc}). "
                "Run the same command with --debug for the full traceback, and report it if it looks like a bug.",
                err=True,
            )
            ctx.exit(1)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of what is still buffered
    does not fail again on the closed pipe (and print "Exception ignored ...")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


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


def _ray_options(command):
    """``--ray [ADDRESS]`` and ``--ray-workers N``, the same on every command that can run on Ray."""
    command = click.option("--ray-workers", type=click.IntRange(min=1), help="Summarizing actors with --ray (default: as many as the cluster's CPUs allow, one CPU left for reads).")(command)
    return click.option("--ray", "ray_address", is_flag=False, flag_value="", default=None, metavar="[ADDRESS]",
                        help="Run on Ray: alone, $RAY_ADDRESS or a new local Ray; with an address (--ray=auto, --ray=ray://head:10001), that cluster. Needs the ray extra.")(command)


def _words_option(command):
    """``--words N``, the digest's word budget, the same on ``run`` and ``compare``."""
    return click.option("--words", type=click.IntRange(min=10), help="Digest length budget in words (sets fusion.max_words; DUC protocol: 100, MultiLing: 250).")(command)


def _with_words(overrides: tuple[str, ...], words: int | None) -> tuple[str, ...]:
    """The overrides, with ``--words`` last so that it wins over a ``--set fusion.max_words``."""
    return (*overrides, *([f"fusion.max_words={words}"] if words is not None else []))


def _ray_settings(ray_address: str, ray_workers: int | None) -> EngineSettings:
    """The Ray settings of ``--ray [ADDRESS]`` (given, perhaps without an address) and ``--ray-workers``."""
    return EngineSettings(address=ray_address or None, workers=ray_workers)


@main.command()
@click.argument("source")
@click.option("--config", "-c", "config_name", default="default", show_default=True, help="Config file, or the name of a shipped config.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config field, e.g. --set length.preset=short (repeatable).")
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Also write digest.md, digest.json and digest.html here (and index.html with several clusters; with --ray also a URI pyarrow writes to: s3://bucket/digests).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--no-cache", is_flag=True, help="Recompute every article summary and sentence vector, and store none (sets cache.enabled=false).")
@click.option("--stories", is_flag=True, help="SOURCE is a feed: group its articles into stories (one event each) and digest each story; writes stories.json, and with --output a later run adds new articles to the same stories (sets data.stories=true).")
@_words_option
@_ray_options
def run(source: str, config_name: str, overrides: tuple[str, ...], output: str | None, quiet: bool, no_cache: bool, stories: bool,
        words: int | None, ray_address: str | None, ray_workers: int | None) -> None:
    """Digest the articles in SOURCE (a folder, a .jsonl/.json/.csv file, or a dataset name)."""
    flags = [*(["cache.enabled=false"] if no_cache else []), *(["data.stories=true"] if stories else [])]
    config = load_config(config_name, (*_with_words(overrides, words), *flags))
    show = lambda d: click.echo(render_markdown(d))  # noqa: E731
    if ray_address is None:
        from .text import load_in_background

        load_in_background()  # the data stage's first article needs it; meanwhile the pipeline imports
        from .pipeline import run as run_pipeline

        run_pipeline(source, config, output=output, progress=not quiet, on_digest=show)
    else:
        from .engine import run_on_ray  # imports Ray only here: the local path never loads it

        run_on_ray(source, config, output=output, progress=not quiet, on_digest=show, settings=_ray_settings(ray_address, ray_workers))
    if output is not None:
        click.echo(f"summarizer: wrote digest.md, digest.json and digest.html under {output}", err=True)


@main.command()
@click.argument("source")
@click.argument("more_configs", nargs=-1, metavar="[CONFIG]...")
@click.option("--configs", "-C", "config_names", multiple=True, required=True, metavar="CONFIG", help="Configs to compare, files or shipped names: --configs A.yaml B.yaml lead (the values after it count too).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a field in every config, e.g. --set fusion.max_words=120 (repeatable).")
@click.option("--split", help="Split of a Hugging Face dataset (sets data.split in every config).")
@click.option("--limit", type=click.IntRange(min=1), help="First N clusters only (sets data.limit in every config).")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("out/compare"), show_default=True, help="Folder for table.csv, table.md, report.html and compare.json.")
@click.option("--seed", type=int, default=CompareSettings().seed, show_default=True, help="Seed of the bootstrap intervals and the permutation tests.")
@click.option("--resamples", type=click.IntRange(min=100), default=CompareSettings().resamples, show_default=True, help="Bootstrap resamples.")
@click.option("--rouge-measure", type=click.Choice(["f1", "recall", "precision"]), default=CompareSettings().rouge_measure, show_default=True, help="Which ROUGE number counts (DUC/TAC: recall, with --rouge-words).")
@click.option("--rouge-references", type=click.Choice(["max", "mean"]), default=CompareSettings().rouge_references, show_default=True, help="With several references: the best one counts, or their mean (DUC/TAC: mean).")
@click.option("--rouge-words", type=click.IntRange(min=1), help="Cut each digest to its first N words before ROUGE (DUC/TAC: 100). Default: whole digests.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@_words_option
@_ray_options
def compare(
    source: str, more_configs: tuple[str, ...], config_names: tuple[str, ...], overrides: tuple[str, ...],
    split: str | None, limit: int | None, output: Path, seed: int, resamples: int,
    rouge_measure: str, rouge_references: str, rouge_words: int | None, quiet: bool, words: int | None,
    ray_address: str | None, ray_workers: int | None,
) -> None:
    """Run several configs over the same clusters of SOURCE and score them side by side.

    With --ray, each cluster goes to one Ray actor, which digests and scores it under every
    config; the table and files are the local comparison's, timings aside.
    """
    data = ([f"data.split={split}"] if split else []) + ([f"data.limit={limit}"] if limit else [])
    names = config_names + more_configs
    configs = [(Path(name).stem, load_config(name, (*_with_words(overrides, words), *data))) for name in names]
    out = check_writable(output)
    from .compare import compare as run_comparison
    from .compare import render_markdown_table, write_comparison

    settings = CompareSettings(seed=seed, resamples=resamples, rouge_measure=rouge_measure, rouge_references=rouge_references, rouge_words=rouge_words)
    if ray_address is None:
        comparison = run_comparison(source, configs, settings, progress=not quiet)
    else:
        from .engine import compare_on_ray  # imports Ray only here: the local path never loads it

        comparison = compare_on_ray(source, configs, settings, progress=not quiet, engine=_ray_settings(ray_address, ray_workers))
    files = write_comparison(comparison, out)
    click.echo(render_markdown_table(comparison))
    click.echo(f"summarizer: wrote {', '.join(p.name for p in files.values())} under {out}", err=True)


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
