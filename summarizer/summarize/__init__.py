"""Stage 2, per-article summaries: one summary per article, whatever the method.

``stage`` is the stage's entry point and summarizer registry, ``extractive`` the LexRank and lead
summarizers, ``seq2seq`` the abstractive one (``checkpoint`` finds the model, ``backends`` runs it
through ``hf`` (transformers) or ``ct2`` (CTranslate2)), ``cache`` keeps summaries on disk, and
``shared`` lends one loaded summarizer to every config of a comparison.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "stage": ["Fallback", "SUMMARIZERS", "Summarizer", "build_summarizer", "summarize", "untrained_language"],
        "shared": ["SharedModels", "SharedSummarizer", "summary_key"],
        "cache": ["SummaryCache", "open_cache"],
        "extractive": ["body_sentences"],
    },
)
