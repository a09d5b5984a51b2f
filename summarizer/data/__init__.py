"""Stage 1, the data: any source of articles in, one cleaned ``datasets`` row per article out.

``load`` is the dataset wrapper (folders, JSONL/JSON/CSV, Hugging Face datasets), ``textfile``
reads article files whatever their encoding, ``clean`` strips what is not the article,
``language`` warns about articles in another language, ``segment`` splits sentences for every
later stage. Names load on first use, so importing one of them does not import ``datasets``.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "load": ["clusters", "load_articles"],
        "clean": ["clean_text"],
        "language": ["detect_language"],
        "segment": ["is_statement", "split_sentences", "word_count"],
    },
)
