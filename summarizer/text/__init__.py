"""The bottom layer, how text is read: languages, sentences, words and vectors, for every stage.

``language`` tells which language a text is in, ``sentences`` cuts text into paragraphs and
sentences, ``tokens`` gives the word tokens, stems and stop words of a language, ``embed`` turns
sentences into vectors (MiniLM in int8 or fp32, or TF-IDF) and ``embed_cache`` keeps the vectors
on disk for the next run. Every stage asks here, so that "what is a word" or "where does a
sentence end" has one answer; this package imports no stage (``tests/test_layout.py``). Names
load on first use, so importing one of them does not import the models' libraries.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "language": ["cluster_language", "detect_language", "load_in_background"],
        "sentences": ["MAX_PARAGRAPH_WORDS", "bound_paragraphs", "is_statement", "split_sentences"],
        "tokens": ["cased_words", "has_stemmer", "stem", "stop_words", "word_count", "words"],
        "embed": ["EMBEDDERS", "Embedder", "MemoEmbedder", "get_embedder"],
        "embed_cache": ["EmbeddingCache", "memo_embedder", "open_embedding_cache"],
    },
)
