"""Stage 3, fusion: per-article summaries in, digest sentences with sources and evidence out.

``select`` chooses the sentences that together cover what most articles report,
``merge`` attributes them (and, for the older ranking, groups paraphrases and ranks the claims),
``hallucination`` leaves out summary sentences with figures or names their article lacks,
``quantities`` reads figures, and ``conflicts`` finds the figures the articles report differently.
Fusion takes strings and vectors, never a model object.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "merge": ["Candidate", "candidates", "fuse", "sentences_of"],
        "select": ["select_sentences"],
        "hallucination": ["guard", "unsupported"],
        "conflicts": ["Mention", "conflicts_supported", "figure_mentions", "find_conflicts"],
    },
)
