"""The digest as HTML: the one renderer behind the notebook view, ``digest.html``, ``index.html``
and the digests inside ``compare``'s ``report.html``.

Pages are self-contained (inline CSS, no script, no font or image fetched), so a digest can be
mailed or opened offline; evidence opens with ``<details>``, a real control that works by mouse,
keyboard and screen reader without JavaScript. Every string that came from an article or a config
goes through :func:`html.escape`: a scraped title holding ``<script>`` shows as characters.
Meaning never rests on colour alone: the highlighted figures are also bold and labelled.
A digest carries its language: ``lang`` and ``dir`` on the page and on the digest's own element
(so a right-to-left digest stays right-to-left inside an English report), and the stylesheet
uses logical sides (``inline-start``) so bars and indents follow the direction. The page's own
labels are English: in a right-to-left digest their lines (meta, notes, "Backed by", footer)
stay left-to-right, and titles, ids and figures are isolated, so the bidi algorithm does not
carry a leading "5" or a trailing ":" to the wrong end of a mixed line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from ..records import Conflict, ConflictValue, Digest, DigestSentence, Story
from .names import safe_name

#: ISO 639-1 codes of the languages written right to left (Arabic, Hebrew and its old code,
#: Persian, Urdu, Yiddish, Pashto, Sindhi, Uyghur, Dhivehi).
RIGHT_TO_LEFT = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})

#: Inline stylesheet of every page: one readable column that fits 390 px, and a print layout.
STYLE = """
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1rem;max-width:52rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.25rem;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin:1em 0 .3em}
p,li,blockquote,td,th,code,summary{overflow-wrap:anywhere}
code{font-size:.9em;background:#f2f2f2;padding:0 .2em;border-radius:3px}
.meta,footer,.src{font-size:.85rem;color:#4a4a4a}
.note{border-inline-start:4px solid #8a6d3b;background:#fcf8e3;padding:.5em .8em;margin:.6em 0}
.note.fallback{border-inline-start-color:#a94442;background:#f9ecec}
ol.digest>li{margin:.7em 0}ol.digest p{margin:0}
details{margin:.2em 0}summary{cursor:pointer;color:#1a4f8b}summary:focus-visible{outline:3px solid #1a4f8b;outline-offset:2px}
blockquote{margin:.2em 0 .5em;padding:.1em .7em;border-inline-start:3px solid #bbb;font-style:italic}
ul.evidence,ul.values{padding-inline-start:1.1em}
mark{background:#ffe08a;color:inherit;font-weight:700;padding:0 .1em}
.value{font-weight:700}.flag{font-weight:700;color:#a94442}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:start;vertical-align:top}
footer{margin-top:2em;border-top:1px solid #ccc;padding-top:.5em}
cite,code,.value,mark{unicode-bidi:isolate}
[dir=rtl] :is(.meta,.src,.note,summary,footer){direction:ltr;text-align:left}
@media (max-width:30rem){body{padding:.6rem;font-size:15px}h1{font-size:1.35rem}}
@media print{body{max-width:none;padding:0;color:#000}summary{color:#000}a{color:#000}
details::details-content{content-visibility:visible;display:block}
li,blockquote,section{break-inside:avoid}mark{background:none;text-decoration:underline}}
"""


def render_digest(digest: Digest, level: int = 1, flags: Sequence[Sequence[str]] | None = None) -> str:
    """One digest as an HTML fragment whose top heading is ``<h{level}>`` (the notebook view).

    Args:
        digest: the cluster's digest.
        level: heading level of the digest's title; sections use the levels below it, so the
            fragment keeps headings in order inside a page that already has headings.
        flags: per digest sentence, the numbers or names missing from its cited articles
            (``compare``'s faithfulness check); shown next to the sentence.
    """
    h = [f"h{min(level + step, 6)}" for step in range(3)]
    titles = {a.doc_id: a.title for a in digest.articles}
    parts = [
        f'<article class="sdigest" lang="{escape(digest.language)}" dir="{direction(digest.language)}">'
        f"<{h[0]}>Digest: {escape(digest.cluster_id)}</{h[0]}>",
        f'<p class="meta">{counted(len(digest.articles), "article")} · {escape(digest.method)} summaries by <code>{escape(digest.model)}</code>'
        f" · fused with {escape(digest.embedder or 'n/a')} · {counted(len(digest.digest), 'sentence')}, {counted(digest.word_count, 'word')}</p>",
    ]
    for note in digest.notes:
        kind, label = ("note fallback", "Fallback") if digest.fallback and note == digest.notes[0] else ("note", "Note")
        parts.append(f'<p class="{kind}" role="note"><strong>{label}:</strong> {escape(note)}</p>')
    parts.append(f"<section><{h[1]}>Digest</{h[1]}>")
    if not digest.digest:
        parts.append("<p><em>No sentence met the digest settings (length budget, minimum support).</em></p>")
    else:
        missing = list(flags) if flags is not None else [()] * len(digest.digest)
        parts.append('<ol class="digest">')
        parts += [_sentence(s, titles, m) for s, m in zip(digest.digest, missing)]
        parts.append("</ol>")
    parts.append("</section>")
    if digest.conflicts:
        parts.append(f"<section><{h[1]}>Sources disagree</{h[1]}>")
        parts += [_conflict(c, titles, h[2]) for c in digest.conflicts]
        parts.append("</section>")
    if digest.hallucinations:
        parts.append(f"<section><{h[1]}>Flagged summary sentences</{h[1]}><ul>")
        for flag in digest.hallucinations:
            fate = "kept in the digest input" if flag.kept else "left out of the digest"
            parts.append(
                f"<li><code>{escape(flag.doc_id)}</code> ({fate}; not in the article: <strong>{escape(', '.join(flag.unsupported))}</strong>)"
                f"<blockquote>{escape(flag.sentence)}</blockquote></li>"
            )
        parts.append("</ul></section>")
    parts.append(f"<section><{h[1]}>Articles and their summaries</{h[1]}>")
    for article in digest.articles:
        chunks = f" · summarized in {article.chunks} parts" if article.chunks > 1 else ""
        parts.append(
            f"<{h[2]}>{escape(article.title or '(untitled)')}</{h[2]}>"
            f'<p class="meta"><code>{escape(article.doc_id)}</code>{chunks}</p><p>{escape(article.summary)}</p>'
        )
    parts.append("</section>" + _footer(digest) + "</article>")
    return "\n".join(parts)


def _outlet(doc_id: str, titles: dict[str, str]) -> str:
    """An article named by its id, with its title beside it when it has one."""
    title = titles.get(doc_id, "")
    return f"<code>{escape(doc_id)}</code>" + (f" <cite>{escape(title)}</cite>" if title else "")


def _sentence(sentence: DigestSentence, titles: dict[str, str], missing: Sequence[str]) -> str:
    """A digest sentence; its backing articles open onto each one's quoted sentence and score."""
    backing = "article" if sentence.support == 1 else "articles"
    flag = f' <span class="flag">[not in the cited articles: {escape(", ".join(missing))}]</span>' if missing else ""
    evidence = "".join(
        f"<li>{_outlet(e.doc_id, titles)} · similarity {e.score:.2f}<blockquote>{escape(e.sentence)}</blockquote></li>"
        for e in sentence.evidence
    )
    summary = f"Backed by {sentence.support} {backing}: {escape(', '.join(sentence.sources))}"
    body = f'<details><summary>{summary}</summary><ul class="evidence">{evidence}</ul></details>' if evidence else f'<p class="src">{summary}</p>'
    return f"<li><p>{escape(sentence.text)}{flag}</p>{body}</li>"


def _conflict(conflict: Conflict, titles: dict[str, str], tag: str) -> str:
    """One disagreement: every figure, its article and its sentence with the figure marked."""
    figures = " vs ".join(escape(v.value) for v in conflict.values)
    values = "".join(
        f'<li><span class="value">{escape(v.value)}</span> in {_outlet(v.doc_id, titles)}<blockquote>{_marked(v)}</blockquote></li>'
        for v in conflict.values
    )
    return f'<{tag}>{escape(conflict.topic)}</{tag}><p class="meta">Figures given: {figures}</p><ul class="values">{values}</ul>'


def _marked(value: ConflictValue) -> str:
    """The sentence, escaped, with the differing figure wrapped in ``<mark>`` (case-insensitive)."""
    found = re.search(re.escape(value.value), value.sentence, re.IGNORECASE)
    if found is None:
        return escape(value.sentence)
    start, end = found.span()
    return escape(value.sentence[:start]) + f"<mark>{escape(value.sentence[start:end])}</mark>" + escape(value.sentence[end:])


def _footer(digest: Digest) -> str:
    """Generation settings and stage timings, small, for whoever wants to reproduce the run."""
    model, length = digest.config.get("model") or {}, digest.config.get("length") or {}
    settings = {**{f"model.{k}": v for k, v in model.items()}, **{f"length.{k}": v for k, v in length.items()}}
    shown = " · ".join(f"{escape(k)}={escape(_setting(v))}" for k, v in settings.items() if v not in (None, "", [], (), {}))
    timings = " · ".join(f"{escape(stage)} {seconds:.2f} s" for stage, seconds in digest.timings.items())
    return f"<footer><p><strong>Settings:</strong> {shown or 'defaults'}</p><p><strong>Timings:</strong> {timings or 'n/a'}</p></footer>"


def _setting(value: object) -> str:
    """A setting as its YAML would spell it: a list of languages as "ar, en", not "('ar', 'en')"."""
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def direction(language: str) -> str:
    """The ``dir`` of text in ``language`` (ISO 639-1): "rtl" for :data:`RIGHT_TO_LEFT`, else "ltr"."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def page(title: str, body: str, language: str = "en", style: str = "") -> str:
    """A whole self-contained HTML document around ``body``; ``style`` is appended to :data:`STYLE`.

    ``language`` (ISO 639-1) sets the document's ``lang`` and its ``dir`` (:func:`direction`).
    """
    return (
        f'<!doctype html>\n<html lang="{escape(language)}" dir="{direction(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def digest_page(digest: Digest, back: str | None = None) -> str:
    """``digest.html``: one digest as a page; ``back`` links to the page listing it (``index.html``)."""
    link = f'<nav><a href="{escape(back)}">All clusters</a></nav>' if back else ""
    return page(f"Digest: {digest.cluster_id}", link + render_digest(digest), digest.language)


def digest_link(*folders: str) -> str:
    """The relative URL of ``FOLDER/.../digest.html`` (each folder name percent-encoded)."""
    return "/".join(quote(folder) for folder in folders) + "/digest.html"


def index_page(digests: Sequence[Digest], stories: Sequence[Story] | None = None) -> str:
    """``index.html``: every cluster with its size and a link to its ``CLUSTER/digest.html``.

    With ``stories`` (a feed grouped by ``--stories``), the stories of several articles come first,
    largest first, each under its title; stories of a single article are listed apart below."""
    if stories is not None:
        return _stories_page(digests, stories)
    rows = "".join(
        f'<li><a href="{escape(digest_link(safe_name(d.cluster_id)))}" hreflang="{escape(d.language)}">{escape(d.cluster_id)}</a> '
        f'<span class="meta">{counted(len(d.articles), "article")} · {counted(len(d.digest), "sentence")} · {counted(len(d.conflicts), "disagreement")}</span></li>'
        for d in digests
    )
    return page(f"Digests of {len(digests)} clusters", f"<h1>Digests of {len(digests)} clusters</h1><ul>{rows}</ul>")


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one ("1 sentence", "0 sentences", "3 sentences")."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _stories_page(digests: Sequence[Digest], stories: Sequence[Story]) -> str:
    by_id = {d.cluster_id: d for d in digests}
    several = [s for s in stories if s.size > 1]
    single = [s for s in stories if s.size == 1]

    def row(story: Story) -> str:
        digest = by_id.get(story.id)
        title = escape(story.title or story.id)
        link = f'<a href="{escape(digest_link(story.id))}">{title}</a>' if digest is not None else f"{title} (no digest)"
        size = f"{story.size} article{'s' if story.size > 1 else ''}"
        details = f" · {len(digest.digest)} sentences · {len(digest.conflicts)} disagreements" if digest is not None else ""
        return f'<li class="story" data-story="{escape(story.id)}" data-size="{story.size}">{link} <span class="meta">{size}{details}</span></li>'

    heading = f"{len(stories)} stories from {sum(s.size for s in stories)} articles"
    body = f"<h1>{escape(heading)}</h1><h2>Stories of several articles ({len(several)})</h2><ul>{''.join(map(row, several))}</ul>"
    if single:
        body += f"<h2>Single articles ({len(single)})</h2><ul>{''.join(map(row, single))}</ul>"
    return page(heading, body)
