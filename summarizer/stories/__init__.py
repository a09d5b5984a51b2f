"""Stage 1b, stories: a feed of articles about many events in, one group of articles per event out.

``features`` turns articles into language-independent vectors (hashed word, title and
name/figure counts), ``online`` assigns each article to a story in one pass, ``store`` keeps
the assignments in the output folder so a later run adds articles without regrouping the rest,
and ``grouping`` strings them together (:func:`group_stories`). Imported by the pipeline
before digesting; it imports only ``data``, ``output`` and the spine.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={"grouping": ["group_stories", "story_id"]},
)
