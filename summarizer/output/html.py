"""HTML views of a digest for notebooks: evidence on hover and on click, conflicts beside it.

Notebooks only display (``IPython.display.HTML(digest_html(digest))``); nothing here computes.
Each digest sentence has a ``title`` tooltip naming its sources and a ``<details>`` block that
opens onto the evidence sentence, article and similarity of every source. All article text is
escaped, so scraped markup cannot break the page.
"""

from __future__ import annotations

from html import escape

from ..records import Digest


def digest_html(digest: Digest) -> str:
    """One self-contained HTML fragment: sentences with evidence, then "Sources disagree"."""
    parts = [f"<h3>Digest: {escape(digest.cluster_id)}</h3>", "<ol>"]
    for sentence in digest.digest:
        tooltip = "\n".join(f"{e.doc_id} ({e.score:.2f}): {e.sentence}" for e in sentence.evidence)
        backing = "article" if sentence.support == 1 else "articles"
        evidence = "".join(
            f"<li><code>{escape(e.doc_id)}</code> ({e.score:.2f}): {escape(e.sentence)}</li>" for e in sentence.evidence
        )
        parts.append(
            f'<li><span title="{escape(tooltip)}">{escape(sentence.text)}</span> '
            f"<details><summary>{sentence.support} {backing}: {escape(', '.join(sentence.sources))}</summary>"
            f"<ul>{evidence}</ul></details></li>"
        )
    parts.append("</ol>")
    if digest.conflicts:
        parts.append("<h4>Sources disagree</h4><ul>")
        for conflict in digest.conflicts:
            values = "".join(
                f'<li><b>{escape(v.value)}</b> <code>{escape(v.doc_id)}</code>: <i>{escape(v.sentence)}</i></li>' for v in conflict.values
            )
            parts.append(f"<li>{escape(conflict.topic)}<ul>{values}</ul></li>")
        parts.append("</ul>")
    if digest.hallucinations:
        parts.append(f"<p>{len(digest.hallucinations)} summary sentence(s) flagged by the hallucination guard (see digest.json).</p>")
    return "\n".join(parts)
