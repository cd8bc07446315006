"""The page layout: cover and body templates, footer with page numbers, outline entries."""

from __future__ import annotations

import copy
from functools import lru_cache

from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from scan.report.language import _
from scan.report.styles import (
    ACCENT,
    CONTENT_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PRIMARY,
    PRIMARY_DARK,
    RULE,
    TINT,
    WHITE,
)
from scan.report.typesetting import FONT, FONT_BOLD, fit

PAGE_COUNT_FORM = "scanPageCount"
COVER_BAND = 6.2 * cm
FOOTER_SIZE = 8


class Paragraph(_Paragraph):
    """A Paragraph that does not break its lines again for the width it was last wrapped to.

    Tables wrap each cell to measure it and again to draw it; the lines stay the same.
    """

    _wrapped_at: float | None = None

    def _setup(self, text, style, bulletText, frags, cleaner):  # reportlab's signature
        """Take the parsed text from the parse cache: a report parses the same texts (headings,
        advice, fixed wording) again and again, and parsing is a sixth of a report's time."""
        if frags is not None or cleaner is not cleanBlockQuotedText or not _hashable(bulletText):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        parsed = _parsed(text, style, bulletText, self.caseSensitive)
        self.text, self.frags, self.style, self.bulletText = parsed
        self.debug = 0
        self._source = (text, style, bulletText, self.caseSensitive)

    def wrap(self, availWidth, availHeight):  # reportlab's signature
        """Return the size at this width, breaking the lines only for a new width."""
        if availWidth == self._wrapped_at and hasattr(self, "blPara"):  # split() may drop it
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if hasattr(self, "blPara") else None
        return size

    def breakLines(self, width):  # reportlab's signature
        """Take the broken lines from the line cache: every report breaks the same texts
        (fixed wording, advice, questions) at the same widths, and breaking lines is a fifth
        of a report's time. Only a paragraph still holding its parsed text is looked up (a
        part split off, or one broken before at another width, breaks its lines itself)."""
        source = getattr(self, "_source", None)
        if source is None or self.frags is not _parsed(*source)[1]:
            return super().breakLines(width)
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        lines, frags, width_max, long_words, hyphenations, used = _broken(
            *source, self.encoding, tuple(widths)
        )
        # What reportlab's breakLines leaves behind: the word list, widths, counts.
        self.frags, self._width_max = frags, width_max
        self._splitLongWordCount, self._hyphenations = long_words, hyphenations
        self.height = 0
        if isinstance(width, list):
            width[:] = used  # the bullet's room, taken off the first line's width
        self._shared_lines = True
        return lines

    def split(self, availWidth, availHeight):  # reportlab's signature
        """Split on a copy of the lines: splitting changes words in place, and the cached
        lines are shared with every other report that breaks the same text."""
        if getattr(self, "_shared_lines", False) and hasattr(self, "blPara"):
            self.blPara, self.frags = copy.deepcopy((self.blPara, self.frags))
            self._shared_lines = False
        return super().split(availWidth, availHeight)


class MeasuredTable(Table):
    """A Table that does not measure its rows again for the width it was last measured at.

    KeepTogether, the frame and an outer table's cell each measure a table, mostly at the same
    width; only the available height differs, and reportlab's row heights do not depend on it
    as long as every row fits (a long table stops counting rows where the room ends).
    """

    _measured: tuple[float, float] | None = None

    def wrap(self, availWidth, availHeight):  # reportlab's signature
        """Return the size at this width, measuring the rows only for a new width or when
        the last measure stopped early."""
        measured = self._measured
        if measured is not None and measured[0] == availWidth and measured[1] <= availHeight:
            return self._width, self._height
        size = super().wrap(availWidth, availHeight)
        every_row = self._hmax == self._nrows
        self._measured = (availWidth, self._height) if every_row else None
        return size


def _hashable(value: object) -> bool:
    return value is None or isinstance(value, str)


@lru_cache(maxsize=4096)
def _parsed(text: str, style, bullet_text: str | None, case_sensitive: int) -> tuple:
    """Return reportlab's parse of a paragraph: (clean text, fragments, style, bullet text).

    Keyed on the style object itself (the cache holds it, so its id is never reused); the
    fragments are shared between paragraphs, which reportlab never changes after parsing (it
    clones a fragment before it changes one when it breaks or splits lines).
    """
    probe = _Paragraph.__new__(_Paragraph)
    probe.caseSensitive = case_sensitive
    _Paragraph._setup(probe, text, style, bullet_text, None, cleanBlockQuotedText)
    return probe.text, probe.frags, probe.style, probe.bulletText


@lru_cache(maxsize=4096)
def _broken(
    text: str,
    style,
    bullet_text: str | None,
    case_sensitive: int,
    encoding: str,
    widths: tuple[float, ...],
) -> tuple:
    """Return reportlab's line breaking of a parsed paragraph at these widths, and what it
    leaves on the paragraph: (lines, word list, widest line, long words split, hyphenations,
    the widths as it used them).

    Shared by every paragraph of the same text, style and widths: drawing only reads the lines
    (splitting would change them: Paragraph.split works on a copy), and the cache holds the
    style, so its id is never reused.
    """
    probe = _Paragraph.__new__(_Paragraph)
    probe.caseSensitive, probe.encoding = case_sensitive, encoding
    probe.text, probe.frags, probe.style, probe.bulletText = _parsed(
        text, style, bullet_text, case_sensitive
    )
    used = list(widths)
    lines = _Paragraph.breakLines(probe, used)
    return (
        lines,
        probe.frags,
        probe._width_max,
        probe._splitLongWordCount,
        probe._hyphenations,
        used,
    )


class _Frame(Frame):
    """A frame that copies itself quickly: KeepTogether deep-copies the current frame every
    time it measures its content (a thousand times a report), and a deep copy of a frame's
    numbers and names is the frame itself, field by field."""

    def __deepcopy__(self, memo: dict) -> _Frame:
        twin = copy.copy(self)
        for name, value in vars(self).items():
            if not isinstance(value, _ATOMIC):
                setattr(twin, name, copy.deepcopy(value, memo))
        return twin


_ATOMIC = (str, int, float, bool, type(None))


class _CountingCanvas(Canvas):
    """A canvas that writes the total page count into a form every footer refers to."""

    def save(self) -> None:
        """Define the page-count form (now that the total is known), then write the file."""
        total = self.getPageNumber() - 1
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(FONT, FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


class ReportDoc(BaseDocTemplate):
    """An A4 document with a cover page, body pages, a footer and an outline."""

    def __init__(self, buffer, *, footer: str, cover_help: str, **metadata) -> None:
        """Set up the page templates; metadata goes into the PDF's document information."""
        super().__init__(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            lang="nl",
            displayDocTitle=1,
            initialFontName=FONT,
            initialFontSize=10,
            **metadata,
        )
        self.footer = footer
        self.cover_help = cover_help
        self._outline_keys = 0
        body_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        body = _Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            body_height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover_top = PAGE_HEIGHT - COVER_BAND - 1.6 * cm
        cover_bottom = MARGIN_BOTTOM + 3.2 * cm
        cover = _Frame(
            MARGIN_X,
            cover_bottom,
            CONTENT_WIDTH,
            cover_top - cover_bottom,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [cover], onPage=self._draw_cover),
                PageTemplate("body", [body], onPage=self._draw_body),
            ]
        )

    def build(self, flowables: list[Flowable]) -> None:  # type: ignore[override]
        """Lay out the flowables on a canvas that knows the final page count."""
        super().build(flowables, canvasmaker=_CountingCanvas)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add a bookmark and outline entry for every flowable marked with `outline`."""
        outline = getattr(flowable, "outline", None)
        if not outline:
            return
        title, level = outline
        self._outline_keys += 1
        key = f"section{self._outline_keys}"
        top = self.frame._y + flowable.height + 12
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=min(top, PAGE_HEIGHT))
        self.canv.addOutlineEntry(title, key, level=level, closed=False)

    def _draw_cover(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the cover's colour band, the help strip and the footer."""
        canv.saveState()
        canv.showOutline()
        canv.setFillColor(PRIMARY)
        canv.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_HEIGHT - COVER_BAND - 5, PAGE_WIDTH, 5, stroke=0, fill=1)
        canv.setFillColor(WHITE)
        canv.setFont(FONT_BOLD, 13)
        canv.drawString(MARGIN_X, PAGE_HEIGHT - 2.2 * cm, "Weerbaarheidsscan")
        canv.setFont(FONT, 10.5)
        canv.drawString(
            MARGIN_X, PAGE_HEIGHT - 2.9 * cm, _("Weerbaar ondernemen tegen ondermijning")
        )
        # The help strip: the one number every reader should leave with.
        strip_y = MARGIN_BOTTOM + 0.4 * cm
        strip_h = 2.0 * cm
        canv.setFillColor(TINT)
        canv.rect(MARGIN_X, strip_y, CONTENT_WIDTH, strip_h, stroke=0, fill=1)
        canv.setFillColor(PRIMARY)
        canv.rect(MARGIN_X, strip_y, 4, strip_h, stroke=0, fill=1)
        canv.setFillColor(PRIMARY_DARK)
        canv.setFont(FONT_BOLD, 10)
        canv.drawString(MARGIN_X + 0.5 * cm, strip_y + strip_h - 0.75 * cm, _("Melden en hulp"))
        canv.setFont(FONT, 9)
        for i, line in enumerate(_wrap(self.cover_help, FONT, 9, CONTENT_WIDTH - 1 * cm)[:2]):
            canv.drawString(MARGIN_X + 0.5 * cm, strip_y + strip_h - 1.25 * cm - i * 12, line)
        canv.restoreState()
        self._draw_footer(canv, doc)

    def _draw_body(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the thin header rule and the footer of a body page."""
        canv.saveState()
        canv.setFillColor(PRIMARY)
        canv.rect(0, PAGE_HEIGHT - 0.45 * cm, PAGE_WIDTH, 0.45 * cm, stroke=0, fill=1)
        canv.restoreState()
        self._draw_footer(canv, doc)

    def _draw_footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the footer: scan and reference on the left, 'Pagina N van M' on the right."""
        canv.saveState()
        y = MARGIN_BOTTOM - 1.1 * cm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, y + 12, PAGE_WIDTH - MARGIN_X, y + 12)
        canv.setFont(FONT, FOOTER_SIZE)
        canv.setFillColor(MUTED)
        slot = pdfmetrics.stringWidth("000", FONT, FOOTER_SIZE)
        right = PAGE_WIDTH - MARGIN_X - slot
        label = _("Pagina {page} van ").format(page=canv.getPageNumber())
        canv.drawRightString(right, y, label)
        left_width = right - pdfmetrics.stringWidth(label, FONT, FOOTER_SIZE) - MARGIN_X - 12
        canv.drawString(MARGIN_X, y, fit(self.footer, FONT, FOOTER_SIZE, left_width))
        canv.translate(right, y)
        canv.doForm(PAGE_COUNT_FORM)
        canv.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break plain text into lines that fit the width (for the few texts drawn on the canvas)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def bookmark(flowable: Flowable, title: str, level: int = 0) -> Flowable:
    """Mark a flowable so the document adds it to the outline (bookmarks), and return it."""
    flowable.outline = (title, level)
    return flowable


class CheckBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float = 10) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        """Draw the square."""
        self.canv.setStrokeColor(MUTED)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class Tag(Flowable):
    """A small coloured label with one centred line of text, e.g. a priority.

    Drawn directly: a one-cell table per label cost more than the rest of an advice box.
    """

    def __init__(self, text: str, colour, style, width: float, pad: tuple[float, ...]) -> None:
        super().__init__()
        self.colour, self.style = colour, style
        self.pad_top, self.pad_bottom, self.pad_x = pad
        self.width = width
        self.height = self.pad_top + style.leading + self.pad_bottom
        self.text = fit(text, style.fontName, style.fontSize, width - 2 * self.pad_x)

    def draw(self) -> None:
        """Draw the background and the text, centred on the width."""
        canv, style = self.canv, self.style
        canv.setFillColor(self.colour)
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(style.textColor)
        canv.setFont(style.fontName, style.fontSize)
        # The baseline sits where a Paragraph in the same padded cell puts it.
        baseline = self.pad_bottom + style.leading - style.fontSize
        canv.drawCentredString(self.width / 2, baseline, self.text)
