"""Output: the digest as Markdown, JSON and HTML, and every file write, atomically, in one place.

``files`` renders ``digest.md`` and writes ``digest.md``/``digest.json``/``digest.html`` (and any
other file) atomically; ``html`` is the one HTML renderer (notebook view, ``digest.html``,
``index.html``, the digests of ``compare``'s ``report.html``).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "files": ["atomic_write", "cache_folder", "check_writable", "digest_files", "render_markdown", "stories_json", "write_digest", "write_index"],
        "html": ["digest_link", "digest_page", "index_page", "page", "render_digest"],
    },
)
