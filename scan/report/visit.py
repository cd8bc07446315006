"""What a visit adds to the report: the adviser's observations per theme, agreed actions.

Plain data in, flowables out: the web rooms fill a `VisitReport` (scan/scans/report_pdf.py);
the theme pages and the action plan read it through the report's context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Spacer, Table

from scan.report.document import Paragraph
from scan.report.language import _
from scan.report.styles import CONTENT_WIDTH, LIGHT, PRIMARY, Styles
from scan.report.typesetting import para, plain


@dataclass(frozen=True)
class VisitReport:
    """The visit of a scan: who helped, what they saw per theme id, what was agreed.

    `actions` holds (theme id, what, who, when as dd-mm-jjjj), each of the last two may be "".
    """

    organisation: str
    observations: Mapping[str, str] = field(default_factory=dict)
    actions: Sequence[tuple[str, str, str, str]] = ()


def observation_block(visit: VisitReport | None, theme_id: str, st: Styles) -> list[Flowable]:
    """Return the theme's "Wat de adviseur zag" box, or nothing when nothing was noted."""
    text = (visit.observations.get(theme_id) or "").strip() if visit else ""
    if not visit or not text:
        return []
    said = _("Wat de adviseur van %(organisation)s zag:")
    heading = f"<b>{said % {'organisation': para(plain(visit.organisation, 200))}}</b>"
    box = Table(
        [[[Paragraph(heading, st.body), Paragraph(para(text[:2000]), st.body)]]],
        colWidths=[CONTENT_WIDTH],
    )
    box.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
            ("LINEBEFORE", (0, 0), (0, -1), 3, PRIMARY),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return [box, Spacer(1, 4)]


def agreed_rows(
    visit: VisitReport | None, titles: Mapping[str, str], start: int, st: Styles
) -> list[list]:
    """Return the action plan's rows for the actions agreed during the visit, numbered on."""
    if not visit:
        return []
    detail = _("Afgesproken met de adviseur van %(name)s") % {
        "name": para(plain(visit.organisation, 200))
    }
    rows: list[list] = []
    for index, (theme_id, what, who, when) in enumerate(visit.actions, start=start):
        theme = titles.get(theme_id, "")
        rows.append(
            [
                Paragraph(str(index), st.cell_bold),
                [
                    Paragraph(para(plain(what, 300)), st.cell_bold),
                    Paragraph(f"{para(theme)} \u00b7 {detail}" if theme else detail, st.muted),
                ],
                Paragraph(para(plain(who, 100)), st.cell) if who else "",
                Paragraph(para(when), st.cell) if when else "",
            ]
        )
    return rows
