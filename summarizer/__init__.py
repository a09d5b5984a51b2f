"""summarizer: many news articles about one event in, one trustworthy digest out.

The public API, shared by the CLI and the notebooks::

    from summarizer import load_config, load_articles, clusters, Pipeline, run, write_digest

    config = load_config("extractive")
    digests = run("examples/kabul-2021", config, output="out/")
"""

from .config import Config, list_configs, load_config
from .data import clusters, load_articles
from .errors import ConfigError, InputError, ModelLoadError, OutputError, SummarizerError
from .output import render_markdown, write_digest
from .pipeline import Pipeline, run
from .records import Article, ArticleSummary, Digest, DigestSentence

__all__ = [
    "Article", "ArticleSummary", "Config", "ConfigError", "Digest", "DigestSentence", "InputError",
    "ModelLoadError", "OutputError", "Pipeline", "SummarizerError", "clusters", "list_configs",
    "load_articles", "load_config", "render_markdown", "run", "write_digest",
]
