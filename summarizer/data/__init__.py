"""Stage 1, the data: any source of articles in, one cleaned ``datasets`` row per article out.

``load`` is the dataset wrapper (folders, JSONL/JSON/CSV, Hugging Face datasets), ``textfile``
reads article files whatever their encoding, ``clean`` strips what is not the article,
``language`` gives each cluster the language it is digested in (and warns when a cluster mixes
languages), ``parts`` reads a table source file by file and cluster by cluster for workers
elsewhere (``run --ray``). Names load on first use, so importing one of them does not import ``datasets``.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "load": ["clusters", "load_articles"],
        "clean": ["clean_text"],
        "language": ["digest_language"],
        "parts": ["ClusterPart", "FilePart", "cluster_part", "collect_skipped", "file_part", "log_again", "no_usable_article", "table_sources"],
    },
)
