"""summarizer: many news articles about one event in, one trustworthy digest out.

The public API, shared by the CLI and the notebooks::

    from summarizer import load_config, load_articles, clusters, Pipeline, run, write_digest

    config = load_config("extractive")
    digests = run("examples/kabul-2021", config, output="out/")

The package reads as the pipeline: ``data/`` (articles in), ``summarize/`` (one summary per
article), ``fuse/`` (the digest), ``output/`` (files), ``compare/`` (configs side by side), all on
``text/`` (languages, sentences, words, vectors); the root keeps the spine (``pipeline``,
``config``, ``records``, ``storage``, ``errors``, ``cli``). Names load on
first use, so ``python -m summarizer --help`` does not pay for the models' libraries.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "config": ["Config", "list_configs", "load_config"],
        "data": ["clusters", "load_articles"],
        "errors": ["ConfigError", "InputError", "ModelLoadError", "OutputError", "SummarizerError"],
        "output": ["render_markdown", "write_digest"],
        "pipeline": ["Pipeline", "run"],
        "records": ["Article", "ArticleSummary", "Digest", "DigestSentence"],
    },
)
