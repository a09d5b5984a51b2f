"""Output: the digest as Markdown, JSON and HTML, written in one place.

``files`` renders ``digest.md`` and writes ``digest.md``/``digest.json``/``digest.html`` (each
atomically, through :func:`summarizer.storage.atomic_write`); ``html`` is the one HTML renderer
(notebook view, ``digest.html``, ``index.html``, the digests of ``compare``'s ``report.html``).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "files": ["digest_files", "render_markdown", "stories_json", "write_digest", "write_index"],
        "names": ["safe_name", "safe_names"],
        "html": ["digest_link", "digest_page", "index_page", "page", "render_digest"],
    },
)
