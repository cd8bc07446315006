"""Charts drawn with reportlab.graphics: theme scores as horizontal bars on the risk scale."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

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


def theme_chart(themes: Sequence[ThemeScore], levels: Sequence[RiskLevel], width: float) -> Drawing:
    """Draw every theme's score as a bar from 0 to 100, coloured by the level it falls in."""
    label_width = min(0.36 * width, 175.0)
    value_width = 58.0
    left = label_width + 8
    span = width - left - value_width
    top_axis = 16.0
    legend = 26.0
    height = top_axis + ROW * len(themes) + legend
    drawing = _drawing(width, height)
    palette = level_colours(len(levels))

    def x(value: float) -> float:
        return left + span * max(0.0, min(value, 100.0)) / 100.0

    body_top = height - top_axis
    body_bottom = body_top - ROW * len(themes)
    for tick in sorted({0.0, 100.0, *(lvl.min for lvl in levels)}):
        drawing.add(
            Line(
                x(tick),
                body_bottom + 2,
                x(tick),
                body_top,
                strokeColor=RULE,
                strokeWidth=0.6,
                strokeDashArray=None if tick in (0, 100) else [2, 2],
            )
        )
        drawing.add(
            String(
                x(tick),
                body_top + 5,
                number(tick),
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for row, theme in enumerate(themes):
        base = body_top - ROW * (row + 1) + (ROW - BAR) / 2
        title = fit(plain(theme.title), FONT, LABEL_SIZE, label_width)
        drawing.add(String(0, base + 3, title, fontName=FONT, fontSize=LABEL_SIZE, fillColor=TEXT))
        drawing.add(Rect(left, base, span, BAR, fillColor=TRACK, strokeColor=None))
        if theme.score is None:
            drawing.add(
                String(
                    left + span + 8,
                    base + 3,
                    "geen score",
                    fontName=FONT,
                    fontSize=LABEL_SIZE,
                    fillColor=MUTED,
                )
            )
            continue
        colour = palette[risk_level_index(levels, theme.score)] if levels else colors.grey
        drawing.add(
            Rect(
                left, base, max(x(theme.score) - left, 1.5), BAR, fillColor=colour, strokeColor=None
            )
        )
        drawing.add(
            String(
                left + span + 8,
                base + 3,
                score_figure(theme.score),
                fontName=FONT_BOLD,
                fontSize=LABEL_SIZE,
                fillColor=TEXT,
            )
        )
    _legend(drawing, levels, palette, left, 4.0)
    return drawing


def _legend(drawing: Drawing, levels: Sequence[RiskLevel], palette, left: float, y: float) -> None:
    """Draw one swatch per risk level with its label and range."""
    cursor = left
    for level, colour in zip(levels, palette, strict=True):
        text = plain(f"{level.label} ({number(level.min)}-{number(level.max)})", 60)
        drawing.add(Rect(cursor, y, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(cursor + 12, y + 1, text, fontName=FONT, fontSize=7.5, fillColor=MUTED))
        cursor += 12 + stringWidth(text, FONT, 7.5) + 14


def score_bar(score: float | None, levels: Sequence[RiskLevel], width: float) -> Drawing:
    """Draw one score as a short bar (used next to a theme's heading)."""
    drawing = _drawing(width, BAR)
    drawing.add(Rect(0, 0, width, BAR, fillColor=TRACK, strokeColor=None))
    if score is not None and levels:
        colour = level_colours(len(levels))[risk_level_index(levels, score)]
        drawing.add(
            Rect(
                0,
                0,
                max(width * min(score, 100.0) / 100.0, 1.5),
                BAR,
                fillColor=colour,
                strokeColor=None,
            )
        )
    return drawing
