"""Comparing configs: several configs over the same clusters, scored side by side.

``comparison`` runs the configs (through the same pipeline as ``summarizer run``), ``metrics``
scores each digest, ``report`` writes ``table.md``, ``table.csv``, ``compare.json`` and
``report.html``.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "comparison": ["ClusterScore", "Comparison", "ConfigResult", "compare", "score_cluster"],
        "report": ["render_markdown_table", "write_comparison"],
    },
)
