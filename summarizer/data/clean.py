"""Text repair and boilerplate removal for scraped news articles.

Mojibake (UTF-8 read as cp1252: ``â€“`` for ``–``) is repaired by ``ftfy``, which knows the
encoding round-trips; guessing them with replace tables breaks on the next outlet. What ftfy
cannot know is news-site furniture: photo captions, credit lines, link menus, "Related Topics",
"Source link". Those are whole lines with recognisable shapes, removed here line by line so
that no sentence of the article body is ever cut in half.
"""

from __future__ import annotations

import re

import ftfy

# Lines that are site furniture in their entirety, matched case-insensitively.
_FURNITURE = re.compile(
    r"""^(
        related\ topics | source\ link | read\ more | advertisement | share\ this(\ article)?
        | (image|media)\ ?(source|caption).*          # BBC-style caption blocks, glued: "image sourceGetty"
        | (photo|image|picture|video)\s*(:|credit|caption).*
        | (follow|subscribe|sign\ up|click\ here)\b.{0,80}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A caption ending in a bracketed credit: "... [File: Name/Agency]" or "[Name/AP Photo]".
_BRACKET_CREDIT = re.compile(r"\[[^\]]*(/|\bfile:|\bphoto\b)[^\]]*\]\s*$", re.IGNORECASE)
# An agency credit in front of a caption: "REUTERS/NAME SURNAME - caption".
_AGENCY_CREDIT = re.compile(r"^[A-Z]{2,}(/[A-Z][A-Z .'-]+)+\s+[-–—]\s")
# A menu or link-list item: a bullet, then a short line with no sentence ending.
_BULLET = re.compile(r"^\s*[•·▪►*-]\s*")
_MENU_ITEM_MAX_WORDS = 20
# A link-list label in capitals: "LIVE UPDATES:", "EXPLAINER:", "PROFILE:".
_MENU_LABEL = re.compile(r"^[A-Z][A-Z ]{2,}:\s")


def clean_text(text: str) -> str:
    """Repair encoding damage, drop furniture lines, fold whitespace inside each line.

    Paragraph structure (blank lines) is kept, because sentence splitting and headings rely
    on it.
    """
    repaired = ftfy.fix_text(text, normalization="NFC")
    kept: list[str] = []
    for line in repaired.splitlines():
        line = " ".join(line.split())
        if line and is_boilerplate(line):
            continue
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def is_boilerplate(line: str) -> bool:
    """True for a single stripped line that is page furniture rather than article text."""
    if _FURNITURE.match(line) or _BRACKET_CREDIT.search(line) or _AGENCY_CREDIT.match(line):
        return True
    if _BULLET.match(line):
        item = _BULLET.sub("", line)
        if _MENU_LABEL.match(item):
            return True
        return len(item.split()) <= _MENU_ITEM_MAX_WORDS and not item.rstrip().endswith((".", "!", "?", '"', "”"))
    return False
