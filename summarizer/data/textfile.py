"""Turning the bytes of one article file into text, whatever state the file is in.

Folders of saved articles are messy: files saved in Windows-1252 or UTF-16, PDFs and images
dropped in beside the text, web pages saved as ``.txt``. Refusing the whole run for one such
file throws away the user's time, and guessing silently hides a problem, so each case is
decoded or skipped *with a warning naming the file*:

- UTF-8 (with or without a byte-order mark) is read as is;
- any other text encoding is detected by ``charset-normalizer`` and decoded, with a warning
  naming the encoding (so a wrong guess can be spotted and the file re-saved);
- a binary file (image, PDF, office document, or bytes no text encoding explains) is skipped;
- an HTML page has its tags stripped with BeautifulSoup (scripts, styles, navigation and page
  furniture removed), keeping its ``<title>`` as the headline.

This module is part of the data stage: only :mod:`summarizer.data` calls it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: File signatures of binary formats met in article folders, with a name for the warning.
MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.odt document)",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document",
    b"RIFF": "a RIFF media file (WebP, WAV or AVI)",
    b"{\\rtf": "an RTF document",
}
#: Among encodings that explain the bytes equally well, the one most likely for English news:
#: charset-normalizer ranks cp1250 and cp1252 equal on Latin-1 text, but ñ, ć, ř differ.
PREFERRED_ENCODINGS = ("cp1252", "latin_1")
#: An HTML page: a doctype or <html> at the start, or at least this many block-level tags.
HTML_MIN_TAGS = 5
_HTML_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(p|div|br|span|a|h[1-6]|body|head|script|style|li|ul|article|section|meta|link)\b[^>]*>", re.IGNORECASE)
#: Elements that are never article text.
_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "template")
#: Elements that end a line of text (inline ones such as <a> and <b> do not).
_HTML_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote", "figcaption", "pre")


@dataclass(frozen=True)
class FileText:
    """What reading a file gave: its text (``None`` when skipped) and why it was changed or skipped."""

    text: str | None
    warnings: tuple[str, ...] = ()


def read_article_file(path: Path) -> FileText:
    """Decode one article file; never raises for content, only warns or skips.

    Returns:
        ``FileText(text, warnings)``; ``text`` is ``None`` for a binary file. Warnings are full
        sentences naming the file, ready to log.
    """
    data = path.read_bytes()
    kind = binary_kind(data)
    if kind:
        return FileText(None, (f"{path}: skipped, it is {kind}, not text. Save the article as .txt (UTF-8) to include it.",))
    text, encoding = decode_bytes(data)
    if text is None:
        return FileText(None, (f"{path}: skipped, its bytes are not text in any known encoding. Re-save it as UTF-8 text.",))
    warnings = [encoding_warning(path, encoding)] if encoding else []
    if looks_like_html(text):
        text = html_to_text(text)
        warnings.append(f"{path}: looks like an HTML page; its tags, scripts and menus were stripped and its text kept.")
    return FileText(text, tuple(warnings))


def encoding_warning(path: Path, encoding: str) -> str:
    """The one message for a file read in another encoding than UTF-8."""
    return f"{path}: not UTF-8; read it as {encoding}. If accents look wrong in the digest, re-save the file as UTF-8."


def binary_kind(data: bytes) -> str | None:
    """The name of a known binary format when ``data`` starts with its signature."""
    for magic, name in MAGIC.items():
        if data.startswith(magic):
            return name
    return None


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer finds.

    Returns:
        ``(text, encoding)``: ``encoding`` is ``None`` for UTF-8, the detected name otherwise;
        ``text`` is ``None`` when no text encoding explains the bytes.
    """
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data:  # NULs: UTF-16/32 or binary
        try:
            return data.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None, None
    best = matches[0]
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    chosen = next((m for name in PREFERRED_ENCODINGS for m in tied if m.encoding == name), best)
    text = str(chosen)
    if "\x00" in text:  # decoded, but as a binary blob with NULs: not an article
        return None, None
    return text, chosen.encoding


def looks_like_html(text: str) -> bool:
    """True for a whole HTML page or a fragment with several block-level tags."""
    return bool(_HTML_START.match(text[:2000])) or len(_HTML_TAG.findall(text[:50_000])) >= HTML_MIN_TAGS


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: title on the first line, one block per line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for name in _HTML_DROP + ("head",):
        for element in soup.find_all(name):
            element.decompose()
    for element in soup.find_all(_HTML_BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().splitlines()]
    body = "\n".join(line for line in lines if line)
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    return body
