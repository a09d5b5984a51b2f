"""Rendering a comparison: the table (CSV, Markdown), the side-by-side HTML report, compare.json.

Rendering only formats numbers that :mod:`summarizer.compare` computed; :func:`write_comparison`
is the one place that writes the files, each atomically (:func:`summarizer.storage.atomic_write`).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

from ..output import digest_link, page, render_digest, safe_name, write_digest
from ..storage import atomic_write, check_writable
from .comparison import ROUGE_KEYS, Comparison, ConfigResult
from .metrics import rouge_label

#: Short column labels; the full variant of each metric is in the legend and compare.json.
#: ROUGE's label names its protocol and comes from :func:`label`.
LABELS = {
    "words": "words",
    "compression": "compression",
    "redundancy_mean": "redund. mean",
    "redundancy_max": "redund. max",
    "novel_1grams": "novel 1g",
    "novel_2grams": "novel 2g",
    "novel_3grams": "novel 3g",
    "articles_cited": "articles cited",
    "articles_cited_share": "cited share",
    "multi_source_sentences": "multi-source sents",
    "multi_source_share": "multi-source share",
    "faithful_share": "faithful share",
    "summarize_s": "summarize s",
    "words_per_s": "words/s",
}
#: Metrics shown in the Markdown and HTML tables (the CSV and JSON hold every one).
TABLE_METRICS = (
    *ROUGE_KEYS, "words", "compression", "redundancy_mean", "redundancy_max", "novel_2grams",
    "articles_cited_share", "multi_source_share", "faithful_share", "summarize_s", "words_per_s",
)


def label(comparison: Comparison, name: str) -> str:
    """The column header of a metric; for ROUGE it says the protocol ("ROUGE-1 recall @100 words")."""
    if name in ROUGE_KEYS:
        return rouge_label(name, comparison.settings.rouge_measure, comparison.settings.rouge_words, comparison.settings.rouge_references)
    return LABELS[name]


def _cell(average: dict[str, float] | None, with_interval: bool) -> str:
    if average is None:
        return "–"
    text = _number(average["mean"])
    if with_interval and average["clusters"] > 1:
        text += f" [{_number(average['low'])}, {_number(average['high'])}]"
    return text


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) >= 1 else f"{value:.3f}"


def _table(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the summary table: means, with intervals for ROUGE."""
    names = [n for n in TABLE_METRICS if n in comparison.metric_names()]
    header = ["config", "method", "model"] + [label(comparison, n) for n in names]
    rows = [
        [r.name, r.method, r.model] + [_cell(r.averages.get(n), with_interval=n in ROUGE_KEYS) for n in names]
        for r in comparison.results
    ]
    return header, rows


def _paired_table(comparison: Comparison) -> tuple[str, list[str], list[list[str]]]:
    """Caption, header and rows of the paired tests: difference [interval] and p per ROUGE type."""
    if not comparison.paired:
        return "", [], []
    baseline = comparison.paired[0]["baseline"]
    tests = [test for row in comparison.paired for kind in ROUGE_KEYS if (test := row[kind])]
    clusters = max(test["clusters"] for test in tests)
    s = comparison.settings
    swaps = f"exact over all 2^{clusters} swaps" if all(t["exact"] for t in tests) else f"{s.resamples} random swaps, seed {s.seed}"
    caption = (
        f"Paired tests against `{baseline}` over the same {clusters} clusters: mean difference (config − {baseline}) "
        f"with its {s.confidence:.0%} paired bootstrap interval ({s.resamples} resamples, seed {s.seed}), and p of a "
        f"two-sided paired permutation test ({swaps})."
    )
    header = ["config"] + [f"Δ {label(comparison, kind)}" for kind in ROUGE_KEYS]
    rows = [[row["config"]] + [_difference(row[kind]) for kind in ROUGE_KEYS] for row in comparison.paired]
    return caption, header, rows


def _difference(test: dict[str, float] | None) -> str:
    if test is None:
        return "–"
    return f"{test['difference']:+.3f} [{test['low']:+.3f}, {test['high']:+.3f}] p={test['p']:.3g}"


def _markdown_rows(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(row) + " |" for row in rows]


def render_markdown_table(comparison: Comparison) -> str:
    """The summary table in Markdown, then warnings, paired tests and the legend naming each metric's variant."""
    header, rows = _table(comparison)
    lines = _markdown_rows(header, rows)
    clusters = len(comparison.clusters)
    s = comparison.settings
    lines += [
        "",
        f"Means over {clusters} cluster{'s' if clusters != 1 else ''} of `{comparison.source}`"
        + (
            f"; ROUGE in brackets: {s.confidence:.0%} percentile bootstrap interval over clusters "
            f"({s.resamples} resamples, seed {s.seed})."
            if comparison.has_references and clusters > 1
            else "."
        ),
        "",
    ]
    fallbacks = [f"**Fallback:** `{r.name}` could not load `{f['from']}`, so its row is the {f['to']} summarizer." for r, f in _fallbacks(comparison)]
    lines += fallbacks + ([""] if fallbacks else [])
    lines += [f"**Warning:** {warning}" for warning in comparison.warnings] + ([""] if comparison.warnings else [])
    caption, paired_header, paired_rows = _paired_table(comparison)
    if caption:
        lines += [caption, "", *_markdown_rows(paired_header, paired_rows), ""]
    lines += [f"- **{label(comparison, name)}**: {comparison.definition(name)}" for name in comparison.metric_names() if name in TABLE_METRICS]
    return "\n".join(lines) + "\n"


def _fallbacks(comparison: Comparison) -> list[tuple[ConfigResult, dict[str, str]]]:
    """Configs whose model could not be loaded and that ran another summarizer instead."""
    return [(r, d.fallback) for r in comparison.results for d in r.digests[:1] if d.fallback]


def render_csv(comparison: Comparison) -> str:
    """One row per config: mean, low and high of every metric (empty where undefined)."""
    names = comparison.metric_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["config", "method", "model", "clusters"] + [f"{n}_{part}" for n in names for part in ("mean", "low", "high")])
    for r in comparison.results:
        cells = []
        for name in names:
            average = r.averages.get(name)
            cells += [average[part] if average else "" for part in ("mean", "low", "high")]
        writer.writerow([r.name, r.method, r.model, len(r.digests)] + cells)
    return buffer.getvalue()


_CODE = re.compile(r"`([^`]*)`")  # Markdown code spans of a caption shared with table.md

#: Added to the digest pages' stylesheet: a wide page whose configs sit side by side.
_STYLE = """
body{max-width:110em}.side{table-layout:fixed}.side>tbody>tr>td{width:1%}
th{background:#f4f4f4}.legend{font-size:.85em;color:#444}
"""


def compared_digest_folder(config: str, cluster_id: str) -> tuple[str, str]:
    """Where a config's digest of one cluster is written: ``digests/CONFIG/CLUSTER/``.

    Names are made file-safe (:func:`summarizer.output.safe_name`): a config given as
    ``my/variant.yaml`` or a cluster id ``../x`` must not escape the folder.
    """
    return safe_name(config), safe_name(cluster_id)


def render_html(comparison: Comparison) -> str:
    """A self-contained page: the table, then each cluster's digests in one column per config.

    Each column is the digest view of :func:`summarizer.output.render_digest` (the same as
    ``digest.html``), with sentences whose numbers or names are missing from their cited
    articles marked, and a link to that digest's own page under ``digests/CONFIG/CLUSTER/``.
    """
    esc = html.escape
    header, rows = _table(comparison)
    caption, paired_header, paired_rows = _paired_table(comparison)
    parts = [
        f"<h1>Comparison of {len(comparison.results)} configs on <code>{esc(comparison.source)}</code></h1>",
        _html_table(header, rows),
        *(f"<p class='note'><b>Warning:</b> {esc(warning)}</p>" for warning in comparison.warnings),
        *(["<p>" + _CODE.sub(r"<code>\1</code>", esc(caption)) + "</p>", _html_table(paired_header, paired_rows)] if caption else []),
        "<ul class='legend'>",
        *(f"<li><b>{esc(label(comparison, n))}</b>: {esc(comparison.definition(n))}</li>" for n in comparison.metric_names() if n in TABLE_METRICS),
        "</ul>",
    ]
    for index, cluster in enumerate(comparison.clusters):
        parts.append(f"<h2>Cluster <code>{esc(cluster['cluster_id'])}</code> ({len(cluster['articles'])} articles)</h2>")
        parts.append("<table class='side'><tr>" + "".join(f"<th>{esc(r.name)}<br><span class='src'>{esc(r.model)}</span></th>" for r in comparison.results) + "</tr><tr>")
        for r in comparison.results:
            digest, scores = r.digests[index], r.per_cluster[index]
            link = digest_link(*compared_digest_folder(r.name, digest.cluster_id))
            rouge = f" · {esc(label(comparison, 'rouge2'))} {scores['rouge2']:.3f}" if "rouge2" in scores else ""
            parts.append(
                f"<td><p class='src'>{scores['words']} words{rouge} · <a href='{esc('digests/' + link)}'>"
                f"{esc(r.name)}'s digest page</a></p>{render_digest(digest, level=3, flags=r.unsupported[index])}</td>"
            )
        parts.append("</tr></table>")
        for number, reference in enumerate(cluster["references"], start=1):
            parts.append(f"<details><summary>Reference {number}</summary><p>{esc(reference)}</p></details>")
    return page("summarizer compare", "\n".join(parts), style=_STYLE)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    esc = html.escape
    cells = ["<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>"]
    cells += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows]
    return "<table>" + "".join(cells) + "</table>"


def write_comparison(comparison: Comparison, folder: str | Path) -> dict[str, Path]:
    """Write compare.json, table.csv, table.md, report.html and every digest into ``folder``.

    Each config's digest of each cluster goes to ``digests/CONFIG/CLUSTER/`` (``digest.md``,
    ``digest.json``, ``digest.html``), which ``report.html`` links. Returns the top-level paths.
    """
    path = check_writable(folder)
    files = {
        "json": (path / "compare.json", json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n"),
        "csv": (path / "table.csv", render_csv(comparison)),
        "markdown": (path / "table.md", render_markdown_table(comparison)),
        "html": (path / "report.html", render_html(comparison)),
    }
    for r in comparison.results:
        for digest in r.digests:
            write_digest(digest, path.joinpath("digests", *compared_digest_folder(r.name, digest.cluster_id)))
    for target, text in files.values():
        atomic_write(target, text)
    return {kind: target for kind, (target, _) in files.items()}
