"""The report's first page says what the result page's first screen says: the outcome and
three calls for this week, each with its number and for whom it is (scan/presentation.py
week_steps); and, when there is one, how the scan compares with others in its sector.

A red-flag result has its own first page (the safety rules); this block is for the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from scan.presentation import score_figure, week_steps
from scan.questionnaire.model import Questionnaire
from scan.report.document import MeasuredTable, Paragraph, bookmark
from scan.report.language import N_, _
from scan.report.styles import CONTENT_WIDTH, PRIMARY, RULE, TINT, Styles
from scan.report.typesetting import FONT, para
from scan.scoring import Result

WEEK_TITLE = N_("Doe dit deze week")
COMPARISON_TITLE = N_("Vergeleken met andere ondernemers in uw sector")
COMPARISON_NOTE = N_(
    "We vergelijken uw score per onderwerp met de scans die andere ondernemers in uw sector "
    "de afgelopen 12 maanden deden; ‘rond het midden’ betekent dat de middelste helft van die "
    "scans ongeveer zo scoort als u."
)
TABLE_STYLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),  # never Helvetica: every font is embedded
    ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
    ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
]


def week_block(result: Result, q: Questionnaire, outcome: str, st: Styles) -> list[Flowable]:
    """Return "Doe dit deze week" for the cover: the outcome and the three calls."""
    if result.red_flag:
        return []
    score = (
        " " + _("Totaalscore {score} van de 100.").format(score=score_figure(result.overall))
        if result.overall is not None
        else ""
    )
    rows = [
        [
            Paragraph(
                f"<b>{n}. "
                + _("Bel {name}: {phone}").format(name=para(call.name), phone=para(call.phone))
                + "</b>",
                st.cell,
            ),
            Paragraph(para(call.for_whom), st.small),
        ]
        for n, call in enumerate(week_steps(result, q), start=1)
    ]
    if not rows:  # no referral with a number that can be dialled (links.tel_href)
        return []
    table = MeasuredTable(rows, [7.4 * cm, CONTENT_WIDTH - 7.4 * cm], hAlign="LEFT")
    body_style = [c for c in TABLE_STYLE if c[0] not in ("BACKGROUND", "BOTTOMPADDING")]
    table.setStyle(
        TableStyle(
            [
                *body_style,
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
            ]
        )
    )
    return [
        KeepTogether(
            [
                bookmark(
                    Paragraph(
                        f"{_(WEEK_TITLE)} <font name='{FONT}' size='10'>\u00b7 "
                        + _("Uw uitkomst: <b>{label}</b>.").format(label=para(outcome))
                        + f"{score}</font>",
                        st.h3,
                    ),
                    _(WEEK_TITLE),
                    0,
                ),
                table,
            ]
        ),
        Spacer(1, 0.1 * cm),
    ]


def comparison_block(rows: Sequence[tuple[str, str]], st: Styles) -> list[Flowable]:
    """Return the comparison with the sector: per theme its place in words (or nothing)."""
    if not rows:
        return []
    body = [
        [
            Paragraph(_("<b>Onderwerp</b>"), st.cell_head),
            Paragraph(_("<b>Uw score is</b>"), st.cell_head),
        ]
    ]
    body += [
        [Paragraph(para(title), st.cell), Paragraph(para(words), st.cell)] for title, words in rows
    ]
    table = MeasuredTable(body, [CONTENT_WIDTH - 6 * cm, 6 * cm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(TABLE_STYLE))
    return [
        KeepTogether(
            [Paragraph(_(COMPARISON_TITLE), st.h2), Paragraph(_(COMPARISON_NOTE), st.muted), table]
        ),
        Spacer(1, 8),
    ]
