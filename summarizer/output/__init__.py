"""Output: the digest as Markdown, JSON and HTML, and every file write, atomically, in one place.

``files`` renders ``digest.md`` and writes ``digest.md``/``digest.json`` (and any other file)
atomically; ``html`` renders the digest with its evidence for notebooks.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "files": ["atomic_write", "cache_folder", "check_writable", "digest_files", "render_markdown", "write_digest"],
        "html": ["digest_html"],
    },
)
