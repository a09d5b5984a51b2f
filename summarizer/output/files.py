"""Writing results: ``digest.md``, ``digest.json`` and ``digest.html``, atomically, in one place.

Each file is written to a temporary sibling and moved over the target with ``os.replace``, so an
interrupted run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..records import Digest, Story
from ..storage import atomic_write, check_writable
from .html import counted, digest_page, index_page


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown: numbered sentences, each with the articles that back it.

    Each sentence carries a footnote (``[^1]``) quoting the best-matching sentence of every
    backing article with its similarity, so a reader can check the claim; the figures the
    articles disagree on, and summary sentences the hallucination guard flagged, follow.
    """
    titles = {a.doc_id: a.title for a in digest.articles}
    lines = [
        f"# Digest: {digest.cluster_id}",
        "",
        f"{counted(len(digest.articles), 'article')} · {digest.method} summaries by `{digest.model}` · "
        f"fused with {digest.embedder} · {counted(len(digest.digest), 'sentence')}, {counted(digest.word_count, 'word')} · language: {digest.language}",
        "",
    ]
    lines += [f"> **Note:** {note}" for note in digest.notes]
    if digest.notes:
        lines.append("")
    if not digest.digest:
        lines.append("*No sentence met the digest settings (length budget, minimum support).*")
    for number, sentence in enumerate(digest.digest, start=1):
        backing = "article" if sentence.support == 1 else "articles"
        marker = f"[^{number}]" if sentence.evidence else ""
        lines.append(f"{number}. {sentence.text}{marker} — *{sentence.support} {backing}: {', '.join(sentence.sources)}*")
    lines += _conflict_lines(digest) + _hallucination_lines(digest)
    lines += ["", "## Articles", ""]
    lines += [f"- `{a.doc_id}`: {titles[a.doc_id] or '(untitled)'}" for a in digest.articles]
    lines += _footnote_lines(digest)
    return "\n".join(lines) + "\n"


def _footnote_lines(digest: Digest) -> list[str]:
    """One footnote per digest sentence: each source's evidence sentence, article and score."""
    lines: list[str] = []
    for number, sentence in enumerate(digest.digest, start=1):
        quotes = [f'`{e.doc_id}` ({e.score:.2f}): "{e.sentence}"' for e in sentence.evidence]
        if quotes:
            lines += ["", f"[^{number}]: {quotes[0]}"] + [f"\n    {quote}" for quote in quotes[1:]]
    return lines


def _conflict_lines(digest: Digest) -> list[str]:
    """The "Sources disagree" section: every figure of every conflict, with its sentence."""
    if not digest.conflicts:
        return []
    lines = ["", "## Sources disagree", ""]
    for conflict in digest.conflicts:
        figures = " · ".join(f"**{v.value}** (`{v.doc_id}`)" for v in conflict.values)
        lines.append(f"- *{conflict.topic}*: {figures}")
        lines += [f'    - `{v.doc_id}`: "{v.sentence}"' for v in conflict.values]
    return lines


def _hallucination_lines(digest: Digest) -> list[str]:
    """Summary sentences naming numbers or names their article lacks (kept out unless configured)."""
    if not digest.hallucinations:
        return []
    lines = ["", "## Flagged summary sentences", ""]
    for flag in digest.hallucinations:
        fate = "kept in the digest input" if flag.kept else "left out of the digest"
        lines.append(f'- `{flag.doc_id}` ({fate}; not in the article: {", ".join(flag.unsupported)}): "{flag.sentence}"')
    return lines


def write_digest(digest: Digest, folder: str | Path, back: str | None = None) -> tuple[Path, Path, Path]:
    """Write ``digest.md``, ``digest.json`` and ``digest.html`` into ``folder``; return their paths.

    ``back`` is the relative link from ``digest.html`` to the page listing it, if there is one.
    """
    path = check_writable(folder)
    files = digest_files(digest, back)
    for name in ("digest.json", "digest.html", "digest.md"):  # the Markdown last: its presence means all are done
        atomic_write(path / name, files[name])
    return path / "digest.md", path / "digest.json", path / "digest.html"


def write_index(digests: list[Digest], folder: str | Path, stories: list[Story] | None = None) -> Path:
    """Write ``index.html`` into ``folder``, linking each ``CLUSTER/digest.html`` below it; with
    ``stories`` (a grouped feed), ``stories.json`` beside it and the index lists the stories."""
    folder = check_writable(folder)
    if stories is not None:
        atomic_write(folder / "stories.json", stories_json(stories))
    atomic_write(folder / "index.html", index_page(digests, stories))
    return folder / "index.html"


def stories_json(stories: list[Story]) -> str:
    """``stories.json``: ``{"stories": [{"id", "title", "doc_ids", "size"}]}``, largest first."""
    return json.dumps({"stories": [s.to_json() for s in stories]}, indent=2, ensure_ascii=False) + "\n"


def digest_files(digest: Digest, back: str | None = None) -> dict[str, str]:
    """The text of ``digest.json``, ``digest.md`` and ``digest.html`` by file name: one source for
    the local writer and for writers of other file systems (buckets).

    ``back`` is the relative link from ``digest.html`` to the page listing it, if there is one.
    """
    return {
        "digest.json": json.dumps(digest.to_json(), indent=2, ensure_ascii=False) + "\n",
        "digest.md": render_markdown(digest),
        "digest.html": digest_page(digest, back),
    }
