"""Charts: theme scores as horizontal bars on the risk scale, drawn straight on the canvas."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from scan.presentation import score_figure
from scan.questionnaire.model import RiskLevel
from scan.report.styles import MUTED, RULE, TEXT, TRACK, level_colours
from scan.report.typesetting import FONT, FONT_BOLD, fit, number, plain
from scan.scoring import ThemeScore, risk_level_index

ROW = 24.0
BAR = 12.0
LABEL_SIZE = 9.0


def _drawing(width: float, height: float) -> Drawing:
    """Return an empty drawing that starts in the embedded font (not Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


class Sketch(Flowable):
    """A small chart drawn straight on the canvas: filled rectangles, lines and strings.

    What a reportlab Drawing of the same shapes draws, without building and walking a tree of
    shape objects (a Drawing per theme cost more than the rest of the theme's header).
    """

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self._marks: list[tuple] = []

    def rect(self, x: float, y: float, width: float, height: float, fill: Color) -> None:
        """Add a filled rectangle without an outline."""
        self._marks.append(("rect", x, y, width, height, fill))

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: Color, **style) -> None:
        """Add a line (style: width, dash)."""
        self._marks.append(("line", x1, y1, x2, y2, colour, style["width"], style.get("dash")))

    def string(self, x: float, y: float, text: str, *, font: str, size: float, **style) -> None:
        """Add one line of text (style: colour, centred on x when centre is true)."""
        centre = style.get("centre", False)
        self._marks.append(("string", x, y, text, font, size, style["colour"], centre))

    def draw(self) -> None:
        """Draw the marks in the order they were added."""
        canv = self.canv
        for kind, *mark in self._marks:
            if kind == "rect":
                x, y, width, height, fill = mark
                canv.setFillColor(fill)
                canv.rect(x, y, width, height, stroke=0, fill=1)
            elif kind == "line":
                x1, y1, x2, y2, colour, line_width, dash = mark
                canv.setStrokeColor(colour)
                canv.setLineWidth(line_width)
                canv.setDash(dash or [])
                canv.line(x1, y1, x2, y2)
            else:
                x, y, text, font, size, colour, centre = mark
                canv.setFont(font, size)
                canv.setFillColor(colour)
                (canv.drawCentredString if centre else canv.drawString)(x, y, text)


def theme_chart(themes: Sequence[ThemeScore], levels: Sequence[RiskLevel], width: float) -> Sketch:
    """Draw every theme's score as a bar from 0 to 100, coloured by the level it falls in."""
    label_width = min(0.36 * width, 175.0)
    value_width = 58.0
    left = label_width + 8
    span = width - left - value_width
    top_axis = 16.0
    legend = 26.0
    height = top_axis + ROW * len(themes) + legend
    sketch = Sketch(width, height)
    palette = level_colours(len(levels))

    def x(value: float) -> float:
        return left + span * max(0.0, min(value, 100.0)) / 100.0

    body_top = height - top_axis
    body_bottom = body_top - ROW * len(themes)
    for tick in sorted({0.0, 100.0, *(lvl.min for lvl in levels)}):
        dash = None if tick in (0, 100) else [2, 2]
        sketch.line(x(tick), body_bottom + 2, x(tick), body_top, RULE, width=0.6, dash=dash)
        sketch.string(
            x(tick), body_top + 5, number(tick), font=FONT, size=7.5, colour=MUTED, centre=True
        )
    for row, theme in enumerate(themes):
        base = body_top - ROW * (row + 1) + (ROW - BAR) / 2
        title = fit(plain(theme.title), FONT, LABEL_SIZE, label_width)
        sketch.string(0, base + 3, title, font=FONT, size=LABEL_SIZE, colour=TEXT)
        sketch.rect(left, base, span, BAR, TRACK)
        if theme.score is None:
            sketch.string(
                left + span + 8, base + 3, "geen score", font=FONT, size=LABEL_SIZE, colour=MUTED
            )
            continue
        colour = palette[risk_level_index(levels, theme.score)] if levels else colors.grey
        sketch.rect(left, base, max(x(theme.score) - left, 1.5), BAR, colour)
        figure = score_figure(theme.score)
        sketch.string(
            left + span + 8, base + 3, figure, font=FONT_BOLD, size=LABEL_SIZE, colour=TEXT
        )
    _legend(sketch, levels, palette, left, 4.0)
    return sketch


def _legend(sketch: Sketch, levels: Sequence[RiskLevel], palette, left: float, y: float) -> None:
    """Draw one swatch per risk level with its label and range."""
    cursor = left
    for level, colour in zip(levels, palette, strict=True):
        text = plain(f"{level.label} ({number(level.min)}-{number(level.max)})", 60)
        sketch.rect(cursor, y, 8, 8, colour)
        sketch.string(cursor + 12, y + 1, text, font=FONT, size=7.5, colour=MUTED)
        cursor += 12 + stringWidth(text, FONT, 7.5) + 14


def score_bar(score: float | None, levels: Sequence[RiskLevel], width: float) -> Sketch:
    """Draw one score as a short bar (used next to a theme's heading)."""
    sketch = Sketch(width, BAR)
    sketch.rect(0, 0, width, BAR, TRACK)
    if score is not None and levels:
        colour = level_colours(len(levels))[risk_level_index(levels, score)]
        sketch.rect(0, 0, max(width * min(score, 100.0) / 100.0, 1.5), BAR, colour)
    return sketch
