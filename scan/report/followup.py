"""The report's follow-up parts: progress then and now, and the line over time (reportlab)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from scan.presentation import score_figure
from scan.report.chart import _drawing
from scan.report.document import Paragraph
from scan.report.language import N_, _, long_date, ngettext
from scan.report.progress import Point, Progress, ThemeChange
from scan.report.sections.blocks import make_heading
from scan.report.styles import CONTENT_WIDTH, MUTED, PRIMARY, RULE, TEXT, TRACK
from scan.report.typesetting import FONT, FONT_BOLD, fit, para, plain

ROW = 30.0
BAR = 10.0
THEN = RULE  # the earlier score: grey; the score now: the report's primary colour


def compare_chart(themes: Sequence[ThemeChange], width: float, titles: dict[str, str]) -> Drawing:
    """Draw every theme's score then (grey) and now (blue) as two bars from 0 to 100; a theme's
    title from `titles` (the report's language) when it is there."""
    label_width = min(0.36 * width, 175.0)
    value_width = 70.0
    left = label_width + 8
    span = width - left - value_width
    legend = 22.0
    height = ROW * len(themes) + legend
    drawing = _drawing(width, height)
    for row, theme in enumerate(themes):
        top = height - ROW * row - 4
        title = fit(plain(titles.get(theme.id, theme.title)), FONT, 9, label_width)
        drawing.add(String(0, top - 13, title, fontName=FONT, fontSize=9, fillColor=TEXT))
        for offset, value, colour, now in (
            (BAR + 1, theme.then, THEN, False),
            (2 * BAR + 2, theme.now, PRIMARY, True),
        ):
            word = _("nu") if now else _("toen")
            y = top - offset
            drawing.add(Rect(left, y, span, BAR, fillColor=TRACK, strokeColor=None))
            if value is not None:
                bar = max(span * min(value, 100.0) / 100.0, 1.5)
                drawing.add(Rect(left, y, bar, BAR, fillColor=colour, strokeColor=None))
            text = f"{word} {score_figure(value) if value is not None else _('geen')}"
            font = FONT_BOLD if now else FONT
            drawing.add(
                String(left + span + 8, y + 2, text, fontName=font, fontSize=8.5, fillColor=TEXT)
            )
    for x, colour, text in ((left, THEN, _("Vorige keer")), (left + 90, PRIMARY, _("Nu"))):
        drawing.add(Rect(x, 4, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 12, 5, text, fontName=FONT, fontSize=7.5, fillColor=MUTED))
    return drawing


def timeline_chart(points: Sequence[Point], width: float) -> Drawing:
    """Draw the overall score of each scan of a chain as a line, oldest left."""
    scored = [p for p in points if p.overall is not None]
    height, left, bottom, top = 120.0, 30.0, 22.0, 110.0
    drawing = _drawing(width, height)
    span = width - left - 30

    def y(value: float) -> float:
        return bottom + (top - bottom) * value / 100.0

    for tick in (0, 50, 100):
        drawing.add(Line(left, y(tick), left + span, y(tick), strokeColor=TRACK, strokeWidth=0.6))
        drawing.add(
            String(
                left - 6,
                y(tick) - 3,
                str(tick),
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    step = span / max(len(scored) - 1, 1)
    coords = [(left + i * step, y(p.overall)) for i, p in enumerate(scored)]
    if len(coords) >= 2:
        flat = [c for xy in coords for c in xy]
        drawing.add(PolyLine(flat, strokeColor=PRIMARY, strokeWidth=1.5))
    for (cx, cy), point in zip(coords, scored, strict=True):
        drawing.add(Circle(cx, cy, 2.5, fillColor=PRIMARY, strokeColor=None))
        drawing.add(
            String(
                cx,
                cy + 6,
                score_figure(point.overall),
                fontName=FONT_BOLD,
                fontSize=8,
                fillColor=TEXT,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                cx,
                6,
                f"{point.day:%d-%m-%Y}",
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    return drawing


def progress_section(
    progress: Progress, advice_titles: dict[str, str], theme_titles: dict[str, str], st
) -> list[Flowable]:
    """Return "Uw voortgang": the chart then and now, the overall change, advice compared.

    Titles come from the report's questionnaire (its language) where it has them.
    """
    story: list[Flowable] = [
        CondPageBreak(14 * cm),
        Spacer(1, 12),
        make_heading(
            _("Uw voortgang sinds %(date)s") % {"date": long_date(progress.then_day)}, st.h1, 0
        ),
    ]
    change = progress.overall_change
    if change is not None:
        if change > 0:
            how = ngettext("Dat is %(num)d punt beter.", "Dat is %(num)d punten beter.", change)
        elif change < 0:
            how = ngettext("Dat is %(num)d punt lager.", "Dat is %(num)d punten lager.", -change)
        else:
            how = _("Dat is gelijk gebleven.")
        story.append(
            Paragraph(
                _("Totaalscore: toen %(then)s, nu %(now)s van de 100.")
                % {
                    "then": score_figure(progress.overall_then),
                    "now": score_figure(progress.overall_now),
                }
                + f" {how}",
                st.lead,
            )
        )
    story += [
        KeepTogether(
            [
                make_heading(_("Score per onderwerp, vorige keer en nu"), st.h2),
                Spacer(1, 4),
                compare_chart(progress.themes, CONTENT_WIDTH, theme_titles),
            ]
        ),
        Spacer(1, 8),
    ]
    if len(progress.line) >= 3:
        story += [
            KeepTogether(
                [
                    make_heading(_("Uw totaalscore door de tijd"), st.h2),
                    timeline_chart(progress.line, CONTENT_WIDTH),
                ]
            ),
            Spacer(1, 8),
        ]
    titles = {**progress.resolved_titles, **advice_titles}
    story.append(make_heading(_("Uw tips vergeleken met vorige keer"), st.h2))
    for label, ids in (
        (_("opgelost"), progress.resolved),
        (_("nieuw"), progress.new),
        (_("nog open"), progress.standing),
    ):
        names = "; ".join(para(titles.get(i, i)) for i in ids)
        story.append(
            Paragraph(f"<b>{len(ids)} {label}</b>" + (f": {names}" if names else ""), st.body)
        )
    return story


REPEAT_NOTE = N_(
    "<b>Doe de scan opnieuw</b> over een jaar, of eerder als er iets verandert. Open dan de "
    "persoonlijke link van deze scan en kies \u2018Doe de scan opnieuw\u2019. Uw antwoorden en "
    "uw actieplan van nu zijn dan al ingevuld, en u ziet wat er beter is geworden."
)


def repeat_note(st) -> list[Flowable]:
    """Return the note under the action plan: how to repeat the scan through its link."""
    return [Spacer(1, 10), Paragraph(_(REPEAT_NOTE), st.body)]
