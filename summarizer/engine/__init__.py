"""Engines beyond the local loops of :func:`summarizer.pipeline.run` and :func:`summarizer.compare.compare`:
``ray`` runs the same pipeline, and a comparison's per-cluster work, on a Ray cluster
(``summarizer run --ray``, ``summarizer compare --ray``); ``read`` gets the clusters into Ray,
read by Ray Data itself when the source is a table or a folder of tables.

Ray is an optional extra and is imported only inside :mod:`summarizer.engine.ray`'s functions,
so the local path never loads it; :func:`require_ray` says how to install it.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={"ray": ["RAY_INSTALL", "pool_size", "require_ray", "compare_on_ray", "run_on_ray"]},
)
