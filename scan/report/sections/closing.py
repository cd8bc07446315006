"""The report's last parts: the action plan, adviser notes, help and the method."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from scan.presentation import (
    week_steps,
)
from scan.questionnaire.model import Referral
from scan.report import wording as texts
from scan.report.document import CheckBox, Paragraph
from scan.report.language import _, long_date
from scan.report.sections.blocks import (
    CONTACT_TABLE_STYLE,
    Context,
    box_table,
    bullets,
    contact_markup,
    header_row,
    height_of,
    link_markup,
    make_heading,
    make_table,
    referral_of,
    with_colour,
)
from scan.report.sections.front import week_call_ids
from scan.report.styles import (
    BODY_HEIGHT,
    CONTENT_WIDTH,
    LIGHT,
    PRIMARY,
    RULE,
    TINT,
    WHITE,
    ink,
    level_colours,
)
from scan.report.typesetting import number, para
from scan.report.visit import agreed_rows

# --- action plan ----------------------------------------------------------------------------


def action_plan(ctx: Context) -> list[Flowable]:
    """Return the action plan: the tips to start with (and any planned already), empty rows."""
    st, result = ctx.st, ctx.result
    titles = {t.id: t.title for t in result.themes}
    plan = ctx.plan or {}
    last = _("Stand") if plan else _("Klaar")
    head = [
        Paragraph(h, st.cell_head) for h in (_("Nr"), _("Maatregel"), _("Wie"), _("Wanneer"), last)
    ]
    rows: list[list] = [head]
    planned = [item for item in result.advice if item.id in ctx.first_ids or item.id in plan]
    for index, item in enumerate(planned, start=1):
        detail = f"{para(titles.get(item.theme, ''))} \u00b7 {_(texts.PRIORITIES[item.priority])}"
        state, who, when = plan.get(item.id, ("", "", ""))
        rows.append(
            [
                Paragraph(str(index), st.cell_bold),
                [Paragraph(para(item.title), st.cell_bold), Paragraph(detail, st.muted)],
                Paragraph(para(who), st.cell) if who else "",
                Paragraph(para(when), st.cell) if when else "",
                Paragraph(para(state), st.cell) if state else CheckBox(),
            ]
        )
    agreed = agreed_rows(ctx.visit, titles, len(planned) + 1, st)
    rows += [[*row, CheckBox()] for row in agreed]
    start = len(planned) + len(agreed) + 1
    for index in range(start, start + texts.ACTION_PLAN_EMPTY_ROWS):
        rows.append([Paragraph(str(index), st.cell), "", "", "", CheckBox()])
    widths = [0.9 * cm, 8.1 * cm, 3.3 * cm, 2.8 * cm, 2.6 * cm if plan else 1.5 * cm]
    widths[1] = CONTENT_WIDTH - sum(widths) + widths[1]
    table = make_table(
        rows,
        widths,
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, PRIMARY),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("VALIGN", (0, 1), (-1, -1), "TOP"),
            ("ALIGN", (4, 0), (4, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
        ],
        repeat=1,
        minRowHeights=[0] + [24] * (len(rows) - 1),
    )
    block = [
        make_heading(_("Actieplan"), st.h1, 0),
        Paragraph(_(texts.ACTION_PLAN_INTRO), st.lead),
        Spacer(1, 4),
        table,
    ]
    later = len(result.advice) - len(planned)
    if later:
        block += [Spacer(1, 4), Paragraph(_(texts.ACTION_PLAN_LATER).format(count=later), st.muted)]
    # The whole plan where the themes end when it fits on one page; a longer plan starts on a
    # page of its own and runs on (never a page with only the themes' last lines, or blank).
    if height_of(block) <= BODY_HEIGHT - 1 * cm:
        return [Spacer(1, 12), KeepTogether(block)]
    return [PageBreakIfNotEmpty(), *block]


# --- adviser notes --------------------------------------------------------------------------


def adviser_notes(ctx: Context) -> list[Flowable]:
    """Return the adviser's notes as a table (only called when there are notes)."""
    st = ctx.st
    rows: list[list] = [
        [Paragraph(h, st.cell_head) for h in (_("Datum"), _("Adviseur"), _("Notitie"))]
    ]
    for date, author, text in ctx.notes or ():
        rows.append(
            [
                Paragraph(para(date), st.cell),
                Paragraph(para(author), st.cell_bold),
                Paragraph(para(text), st.cell),
            ]
        )
    widths = [2.8 * cm, 3.6 * cm, CONTENT_WIDTH - 6.4 * cm]
    table = make_table(
        rows,
        widths,
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, LIGHT]),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        repeat=1,
    )
    return [
        CondPageBreak(9 * cm),
        Spacer(1, 18),
        make_heading(_("Notities van de adviseur"), st.h1, 0),
        Paragraph(_(texts.NOTES_INTRO), st.body),
        table,
    ]


# --- reporting and help ---------------------------------------------------------------------


def help_page(ctx: Context) -> list[Flowable]:
    """Return "Melden en hulp": Meld Misdaad Anoniem, who to call when, and sector referrals."""
    st = ctx.st
    mma = referral_of(ctx, texts.MMA_ID)
    phone = mma.phone if mma and mma.phone else texts.MMA_PHONE
    mma_box = box_table(
        [
            Paragraph(texts.MMA_NAME, st.box_title),
            Paragraph(
                _("Bel gratis <b>{phone}</b> of meld online via <b>{site}</b>").format(
                    phone=para(phone), site=link_markup("https://www." + texts.MMA_SITE)
                ),
                st.lead,
            ),
            Paragraph(_(texts.MMA_ANONYMOUS), st.body),
            Paragraph(_(texts.MMA_NOT_FOR), st.body),
            *bullets([_(item) for item in texts.MMA_NOT_FOR_ITEMS], st),
        ],
        background=TINT,
        bar=PRIMARY,
        padding=12,
    )
    # A contact that "Doe dit deze week" gave already is not listed a second time: the red-flag
    # page's calls, or the cover's three calls of any other result (scan/report/first_page.py).
    if ctx.result.red_flag:
        given = set(week_call_ids(ctx.result))
    else:
        given = {call.ref_id for call in week_steps(ctx.result, ctx.q)}
    who = [[Paragraph(h, st.cell_head) for h in (_("Wat is er aan de hand?"), _("Wie"), _("Bel"))]]
    for situation, ref_id, name, number_ in texts.WHO_TO_CALL:
        ref = referral_of(ctx, ref_id)
        if ref_id in given:
            continue
        if ref is not None:
            name, number_ = para(ref.name), para(ref.phone or number_)
        else:
            name = _(name)
        who.append(
            [
                Paragraph(_(situation), st.cell),
                Paragraph(name, st.cell_bold),
                Paragraph(f"<b>{number_}</b>", st.cell_bold),
            ]
        )
    story: list[Flowable] = [
        CondPageBreak(6 * cm),
        Spacer(1, 12),
        make_heading(_("Melden en hulp"), st.h1, 0),
        mma_box,
    ]
    if given:
        story += [Spacer(1, 6), Paragraph(_(texts.HELP_GIVEN), st.muted)]
    if len(who) > 1:
        widths = [CONTENT_WIDTH - 8 * cm, 5 * cm, 3 * cm]
        who_table = make_table(who, widths, CONTACT_TABLE_STYLE, repeat=1)
        story += [
            Spacer(1, 14),
            make_heading(_("Wie belt u wanneer?"), st.h2),
            Spacer(1, 4),
            who_table,
        ]
    others = [ref for ref in ctx.result.referrals if ref.id not in texts.NATIONAL_IDS | given]
    if others:
        story += [
            Spacer(1, 14),
            make_heading(_("Meer hulp bij de onderwerpen uit uw scan"), st.h2),
            Paragraph(_(texts.SECTOR_HELP_INTRO), st.body),
            _referral_table(ctx, others),
        ]
    return story


def _referral_table(ctx: Context, refs: Sequence[Referral]) -> Table:
    """Return the sector's referrals: name and when to contact them, next to how."""
    st = ctx.st
    rows = []
    for ref in refs:
        about = [Paragraph(f"<b>{para(ref.name)}</b>", st.cell), Paragraph(para(ref.when), st.cell)]
        rows.append(
            [
                about,
                Paragraph(contact_markup(ref), st.cell),
            ]
        )
    return make_table(
        rows,
        [CONTENT_WIDTH - 5.6 * cm, 5.6 * cm],
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ],
    )


# --- how the scan works ---------------------------------------------------------------------


def how_it_works(ctx: Context) -> list[Flowable]:
    """Return how the scan scores, what the levels mean, and what the scan cannot do."""
    st, q = ctx.st, ctx.q
    palette = level_colours(len(q.risk_levels))
    rows: list[list] = [header_row((_("Niveau"), _("Score"), _("Wat betekent dit?")), st)]
    for level, colour in zip(q.risk_levels, palette, strict=True):
        last = level is q.risk_levels[-1]
        span = f"{number(level.min)} tot {'en met ' if last else ''}{number(level.max)}"
        rows.append(
            [
                Paragraph(para(level.label), with_colour(st.cell_bold, ink(colour))),
                Paragraph(span, st.cell),
                Paragraph(para(level.explanation), st.cell),
            ]
        )
    levels = make_table(
        rows,
        [3.4 * cm, 3.4 * cm, CONTENT_WIDTH - 6.8 * cm],
        CONTACT_TABLE_STYLE,
        repeat=1,
    )
    flag = para(q.red_flag_outcome.label)
    # Three blocks, each kept whole: a page never holds only the section's last lines.
    return [
        CondPageBreak(8 * cm),
        Spacer(1, 12),
        KeepTogether(
            [
                make_heading(_("Hoe werkt deze scan?"), st.h1, 0),
                Paragraph(_(texts.HOW_INTRO), st.lead),
                *bullets([_(p).format(label=flag) for p in texts.HOW_POINTS], st),
            ]
        ),
        Spacer(1, 6),
        KeepTogether([Paragraph(_(texts.HOW_LEVELS), st.label), levels]),
        Spacer(1, 14),
        KeepTogether(
            [
                make_heading(_(texts.LIMITS_TITLE), st.h2),
                *bullets([_(item) for item in texts.LIMITS], st),
                Spacer(1, 10),
                make_heading(_("Privacy"), st.h2),
                Paragraph(_(texts.PRIVACY), st.body),
                Paragraph(
                    _(
                        "Vragenlijst: {title}, versie {version}. Referentie: {reference}. "
                        "Rapport gemaakt op {day}."
                    ).format(
                        title=para(ctx.result.title),
                        version=ctx.result.version,
                        reference=para(ctx.reference),
                        day=long_date(ctx.day),
                    ),
                    st.muted,
                ),
            ]
        ),
    ]
