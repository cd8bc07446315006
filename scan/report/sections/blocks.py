"""What every section of the report builds on: the context and the building blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Table,
    TableStyle,
)

from scan.presentation import (
    AnsweredQuestion,
    answers_by_theme,
)
from scan.questionnaire.kinds import is_scored
from scan.questionnaire.links import safe_href
from scan.questionnaire.model import Questionnaire, Referral
from scan.report.document import MeasuredTable, Paragraph, Tag, bookmark
from scan.report.styles import (
    BODY_HEIGHT,
    CONTENT_WIDTH,
    PRIMARY,
    RULE,
    Styles,
    level_colours,
)
from scan.report.typesetting import FONT, para, plain
from scan.report.visit import VisitReport
from scan.scoring import Answer, Result, risk_level_index

# How many tips (the most urgent first) a report shows in full and puts in the action plan;
# the others follow per theme in a line or two, so that a weak scan stays readable.
FIRST_ADVICE = 4
# A table of contacts: a dark header row, thin rules between rows, text from the top.
CONTACT_TABLE_STYLE = [
    ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
    ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
]
Note = tuple[str, str, str]


@dataclass(frozen=True)
class Context:
    """Everything the sections read: the result, its questionnaire, and the report's extras."""

    result: Result
    q: Questionnaire
    reference: str
    day: dt.date
    answers: Mapping[str, Answer] | None
    notes: Sequence[Note] | None
    st: Styles
    adviser: tuple[str, str] | None = None
    # The entrepreneur's action plan by advice id: (state, who, when), each may be "".
    plan: Mapping[str, tuple[str, str, str]] | None = None
    # A scan filled in during a visit: the adviser's observations and the agreed actions.
    visit: VisitReport | None = None

    @cached_property
    def answered(self) -> dict[str, tuple[AnsweredQuestion, ...]]:
        """Return each theme's visible questions with the answers in words (none: no answers)."""
        if self.answers is None:
            return {}
        return {part.theme.id: part.rows for part in answers_by_theme(self.q, self.answers)}

    @cached_property
    def question_order(self) -> dict[str, int]:
        """Return each question's place in the questionnaire."""
        return {question.id: i for i, question in enumerate(self.q.questions)}

    @cached_property
    def context_questions(self) -> frozenset[str]:
        """Return the unscored questions other questions' show_if reads: context, not a risk."""
        read = set().union(*(expr.symbols for expr in self.q.compiled.show_if.values()))
        return frozenset(q_id for q_id in read if not is_scored(self.q.question(q_id)))

    @cached_property
    def first_ids(self) -> frozenset[str]:
        """Return the advice to start with: shown in full and planned; the rest is for later."""
        return frozenset(item.id for item in self.result.advice[:FIRST_ADVICE])

    def level_colour(self, score: float | None) -> Color:
        """Return the colour of the risk level a score falls in (primary when unknown)."""
        levels = self.q.risk_levels
        if score is None or not levels:
            return PRIMARY
        return level_colours(len(levels))[risk_level_index(levels, score)]

    def level_label(self, score: float) -> str:
        """Return the label of the risk level a score falls in."""
        return self.q.risk_levels[risk_level_index(self.q.risk_levels, score)].label


# --- building blocks ------------------------------------------------------------------------


def make_table(rows, widths, commands, *, repeat: int = 0, **options) -> Table:
    """Return a table whose rows may split across pages when a cell is taller than a page."""
    table = MeasuredTable(
        rows, colWidths=widths, repeatRows=repeat, splitInRow=1, hAlign="LEFT", **options
    )
    # Plain-string cells (the empty ones to fill in) would otherwise be set in Helvetica.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return table


class Pair(Flowable):
    """One unpadded row of two cells, the right one right-aligned (e.g. a title and its tag):
    what a one-row, two-cell Table with those paddings draws, without the Table's machinery
    (a report has a dozen; each Table cost as much as the paragraphs in it). It does not
    split: at the end of a page it moves to the next, as the short rows it holds do anyway."""

    def __init__(self, left, right, widths, *, valign: str, top: float, bottom: float) -> None:
        super().__init__()
        self.cells = [left if isinstance(left, list) else [left], [right]]
        self.widths, self.valign, self.top, self.bottom = widths, valign, top, bottom
        self.line_below: tuple[float, Color] | None = None
        self.width = sum(widths)

    def wrap(self, availWidth, availHeight):  # reportlab's signature
        """Return the size: the full width, and the taller cell with its padding."""
        self._sizes = [self._cell_sizes(cell, width) for cell, width in self._columns()]
        self.height = self.top + self.bottom + max(content for _, content in self._sizes)
        return self.width, self.height

    def _columns(self):
        return zip(self.cells, self.widths, strict=True)

    def _cell_sizes(self, cell, width: float) -> tuple[list[tuple[float, float]], float]:
        """Return each flowable's size in a cell and the cell's content height, as a Table
        counts it: space between the flowables, none above the first or below the last."""
        sizes = [f.wrapOn(self.canv, width, 72000 - self.top - self.bottom) for f in cell]
        total = sum(
            h + f.getSpaceBefore() + f.getSpaceAfter()
            for f, (_, h) in zip(cell, sizes, strict=True)
        )
        return sizes, total - cell[0].getSpaceBefore() - cell[-1].getSpaceAfter()

    def draw(self) -> None:
        """Draw both cells where a Table puts them, then the line below, if any."""
        left = 0.0
        for column, ((cell, width), (sizes, content)) in enumerate(
            zip(self._columns(), self._sizes, strict=True)
        ):
            if self.valign == "TOP":
                y = self.height - self.top
            elif self.valign == "BOTTOM":
                y = self.bottom + content
            else:
                y = (self.height + self.bottom - self.top + content) / 2.0
            y += cell[0].getSpaceBefore()
            for flowable, (w, h) in zip(cell, sizes, strict=True):
                x = left + width - w if column == 1 else left
                y -= flowable.getSpaceBefore() + h
                flowable.drawOn(self.canv, x, y)
                y -= flowable.getSpaceAfter()
            left += width
        if self.line_below is not None:
            weight, colour = self.line_below
            canv = self.canv
            canv.saveState()
            canv.setLineCap(1)
            canv.setLineJoin(1)
            canv.setStrokeColor(colour)
            canv.setLineWidth(weight)
            canv.line(0, 0, self.width, 0)
            canv.restoreState()


def pair_table(
    left,
    right,
    total: float,
    right_width: float,
    *,
    valign: str,
    top: float,
    bottom: float,
    line_below: tuple[float, Color] | None = None,
) -> Pair:
    """Return one unpadded row of two cells, the right one right-aligned, e.g. title + tag;
    line_below: (weight, colour) of a rule under the row."""
    pair = Pair(
        left, right, [total - right_width, right_width], valign=valign, top=top, bottom=bottom
    )
    pair.line_below = line_below
    return pair


def box_table(
    content: list[Flowable],
    *,
    background: Color,
    bar: Color | None = None,
    border: Color | None = None,
    padding: float = 10,
) -> Table:
    """Return content in a shaded box, optionally with a coloured bar on the left."""
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), padding + (4 if bar else 0)),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding - 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding - 2),
    ]
    if border is not None:
        commands.append(("BOX", (0, 0), (-1, -1), 0.8, border))
    if bar is not None:
        commands.append(("LINEBEFORE", (0, 0), (0, -1), 4, bar))
    return make_table([[content]], [CONTENT_WIDTH], commands)


def tag_for(text: str, colour: Color, st: Styles, width: float = 2.4 * cm) -> Tag:
    """Return a small coloured label, e.g. a priority."""
    return Tag(plain(text), colour, st.tag, width, pad=(2.5, 3.5, 3))


def make_heading(text: str, style, level: int | None = None) -> Paragraph:
    """Return a heading; with a level it also becomes an entry in the PDF outline."""
    heading = Paragraph(para(text), style)
    return bookmark(heading, " ".join(text.split()), level) if level is not None else heading


def bullets(items: Sequence[str], st: Styles) -> list[Flowable]:
    """Return a bulleted list of (already marked-up) items."""
    return [Paragraph(item, st.bullet, bulletText="\u2022") for item in items]


def header_row(titles: Sequence[str], st: Styles) -> list[Paragraph]:
    """Return the header cells of a table."""
    return [Paragraph(title, st.cell_head) for title in titles]


@lru_cache(maxsize=1024)
def link_markup(url: str) -> str:
    """Return markup for a clickable web address, shown without https:// and www; only a safe
    https address (links.safe_href) becomes a link."""
    shown = url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    safe = safe_href(url)
    if safe is None:  # a stored address that slipped past the checks: text, never a link
        return para(shown)
    href = escape(safe, {'"': "&quot;"})
    return f'<a href="{href}" color="#154273">{para(shown)}</a>'


def contact_markup(ref: Referral, *, inline: bool = False) -> str:
    """Return a referral's ways to get in touch as markup, phone first."""
    parts = []
    if ref.phone:
        parts.append(f"<b>{para(ref.phone)}</b>")
    if ref.url:
        parts.append(link_markup(ref.url))
    if ref.contact:
        parts.append(para(ref.contact))
    return (", " if inline else "<br/>").join(parts)


def height_of(flowables: Sequence[Flowable]) -> float:
    """Return how tall flowables are when laid out at the content width."""
    return sum(f.wrap(CONTENT_WIDTH, BODY_HEIGHT)[1] for f in flowables)


def referral_of(ctx: Context, ref_id: str) -> Referral | None:
    return ctx.q.registry.get(ref_id)


@lru_cache(maxsize=128)
def with_colour(style: ParagraphStyle, colour: Color) -> ParagraphStyle:
    """Return a copy of a style in another text colour: one per style and colour, so that the
    parse and line caches (keyed on the style object) find its texts in the next report."""
    return ParagraphStyle(f"{style.name}-{colour.hexval()}", parent=style, textColor=colour)
