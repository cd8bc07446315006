"""Fonts and safe text: embed DejaVu Sans, keep only glyphs it has, escape paragraph markup."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# DejaVu Sans ships inside this package (fonts/, with its licence), so the report looks the same
# on every machine (no system fonts needed). It is Bitstream Vera with more letters: Latin-1 and
# Latin Extended-A (Polish ą ć ę ł ń ó ś ź ż), the euro sign and typographic quotes.
FONT = "ScanSans"
FONT_BOLD = "ScanSans-Bold"
FONT_ITALIC = "ScanSans-Italic"
FONT_BOLD_ITALIC = "ScanSans-BoldItalic"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
FALLBACK = "?"
# Symbols people type in free text that the font lacks, with a stand-in that keeps the meaning.
_LOOKALIKES = {
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u21d2": "=>",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2212": "-",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u2718": "x",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# reportlab's TTF fonts are shared by every thread of a process, and subsetting a font for a
# PDF moves one parser position inside it: two threads rendering at once could read each
# other's position (an IndexError, 1 in 571 PDFs under load), and laying out at the same time
# gave PDFs of another size. One PDF at a time per process (render_pdf holds this lock); the
# GIL runs the rendering one thread at a time anyway.
FONT_LOCK = threading.Lock()
_SPACES = re.compile(r"[ \t\r\f\v]+")


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the embedded font family once; return the code points it can draw."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_FOLDER / filename)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD_ITALIC)
    # The four styles cover the same characters; the regular face decides.
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


@lru_cache(maxsize=4096)
def _substitute(char: str) -> str:
    """Return what to draw for a character the font lacks: its base letter, nothing, or '?'."""
    glyphs = register_fonts()
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) in glyphs)
    if base.strip():
        return base
    category = unicodedata.category(char)
    # Emoji, pictographs, joiners and variation selectors carry no words: leave them out.
    if category[0] in "SMC" or category == "Zs":
        return " " if category == "Zs" else ""
    return FALLBACK


@lru_cache(maxsize=1)
def _undrawable() -> re.Pattern[str]:
    """Return a pattern that finds a character the font cannot draw (newline and tab can be)."""
    allowed = sorted(register_fonts() | {ord("\n"), ord("\t")})
    ranges, start, end = [], allowed[0], allowed[0]
    for point in allowed[1:]:
        if point != end + 1:
            ranges.append((start, end))
            start = point
        end = point
    ranges.append((start, end))
    char_class = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[^{char_class}]")


def clean(text: object) -> str:
    """Return text the embedded font can draw: no control characters, missing glyphs replaced."""
    value = _CONTROL.sub(" ", str(text))
    return _undrawable().sub(lambda match: _substitute(match.group()), value)


def para(text: object) -> str:
    """Return text as safe Paragraph markup: glyph-clean, xml-escaped, newlines kept as breaks."""
    return _markup(str(text))


@lru_cache(maxsize=8192)
def _markup(text: str) -> str:
    """Return para's markup of a text (kept: every report sets the same questions and advice)."""
    lines = [_SPACES.sub(" ", line).strip() for line in clean(text).split("\n")]
    return "<br/>".join(escape(line) for line in lines if line) or "&nbsp;"


def plain(text: object, limit: int | None = None) -> str:
    """Return text for canvas drawing (no markup): one line, glyph-clean, optionally shortened."""
    value = _SPACES.sub(" ", clean(text).replace("\n", " ")).strip()
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "\u2026"
    return value


@lru_cache(maxsize=1024)
def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten one line of plain text with an ellipsis until it fits the width."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def number(value: float) -> str:
    """Format a score the Dutch way: 56,2 or 100 (one decimal at most, decimal comma)."""
    return f"{round(value, 1):g}".replace(".", ",")
