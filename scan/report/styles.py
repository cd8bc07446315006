"""Colours, page geometry and paragraph styles of the report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from scan.report.typesetting import FONT, FONT_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.2 * cm
MARGIN_TOP = 2.0 * cm
MARGIN_BOTTOM = 2.2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

# The web app's palette (scan/static/style.css), calmed down for paper.
PRIMARY = colors.HexColor("#154273")
PRIMARY_DARK = colors.HexColor("#0D2C4E")
ACCENT = colors.HexColor("#FFB612")
TEXT = colors.HexColor("#1B1B1B")
MUTED = colors.HexColor("#5A5F66")
RULE = colors.HexColor("#C9CED4")
LIGHT = colors.HexColor("#F3F4F6")
TINT = colors.HexColor("#E8EEF5")
DANGER = colors.HexColor("#A4262C")
DANGER_LIGHT = colors.HexColor("#FBEDEE")
TRACK = colors.HexColor("#E4E7EB")
WHITE = colors.white

# From most serious to best: enough steps for any number of risk levels.
_LEVEL_SCALE = ["#A4262C", "#C4561D", "#C98A00", "#6F8F2F", "#2E7D4F"]
PRIORITY_COLOURS = {
    "urgent": colors.HexColor("#A4262C"),
    "high": colors.HexColor("#C4561D"),
    "medium": colors.HexColor("#8A6D00"),
    "low": colors.HexColor("#4F5B66"),
}


def level_colours(count: int) -> list[colors.Color]:
    """Return one colour per risk level, from the most serious (red) to the best (green)."""
    if count <= 1:
        return [PRIMARY] * count
    steps = len(_LEVEL_SCALE) - 1
    return [colors.HexColor(_LEVEL_SCALE[round(i * steps / (count - 1))]) for i in range(count)]


def ink(colour: colors.Color) -> colors.Color:
    """Return a darker shade of a colour, readable as text on white or light grey."""
    return colors.Color(colour.red * 0.78, colour.green * 0.78, colour.blue * 0.78)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles used throughout the report."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    lead: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    label: ParagraphStyle
    step: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    tag: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    box_title: ParagraphStyle
    big: ParagraphStyle
    right: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """Build the paragraph styles once (they are immutable in use)."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=10,
        leading=14.5,
        textColor=TEXT,
        alignment=TA_LEFT,
        spaceAfter=6,
        splitLongWords=1,
        bulletFontName=FONT,
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5, spaceAfter=0)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=FONT_BOLD, textColor=PRIMARY, keepWithNext=1
    )
    return Styles(
        body=body,
        small=small,
        muted=ParagraphStyle("muted", parent=small, textColor=MUTED, spaceAfter=4),
        lead=ParagraphStyle("lead", parent=body, fontSize=11.5, leading=16.5, spaceAfter=8),
        h1=ParagraphStyle(
            "h1", parent=heading, fontSize=20, leading=25, spaceBefore=0, spaceAfter=12
        ),
        h2=ParagraphStyle("h2", parent=heading, fontSize=14, leading=18, spaceAfter=4),
        h3=ParagraphStyle(
            "h3",
            parent=heading,
            fontSize=11,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            textColor=PRIMARY_DARK,
        ),
        label=ParagraphStyle(
            "label", parent=body, fontName=FONT_BOLD, spaceBefore=4, spaceAfter=2, keepWithNext=1
        ),
        step=ParagraphStyle(
            "step",
            parent=body,
            leftIndent=18,
            bulletIndent=2,
            spaceAfter=3,
            bulletFontName=FONT_BOLD,
            bulletColor=PRIMARY,
        ),
        bullet=ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=14,
            bulletIndent=2,
            spaceAfter=3,
            bulletColor=PRIMARY,
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=12.5, spaceAfter=0),
        cell_bold=ParagraphStyle(
            "cell_bold", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12.5, spaceAfter=0
        ),
        cell_head=ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9,
            leading=12,
            textColor=WHITE,
            spaceAfter=0,
        ),
        tag=ParagraphStyle(
            "tag",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8,
            leading=10,
            textColor=WHITE,
            spaceAfter=0,
            alignment=1,
        ),
        cover_title=ParagraphStyle(
            "cover_title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=28,
            leading=34,
            textColor=PRIMARY,
            spaceAfter=10,
        ),
        cover_subtitle=ParagraphStyle(
            "cover_subtitle",
            parent=body,
            fontSize=15,
            leading=21,
            textColor=MUTED,
            spaceAfter=24,
        ),
        box_title=ParagraphStyle(
            "box_title", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceAfter=4
        ),
        big=ParagraphStyle(
            "big", parent=body, fontName=FONT_BOLD, fontSize=22, leading=26, spaceAfter=2
        ),
        right=ParagraphStyle("right", parent=body, fontSize=11, leading=15, alignment=TA_RIGHT),
    )
