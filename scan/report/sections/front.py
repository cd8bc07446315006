"""The report's first pages: the cover, this week's steps and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from scan.presentation import (
    counts_sentence,
    score_figure,
    today_avoid,
    today_steps,
)
from scan.report import wording as texts
from scan.report.chart import theme_chart
from scan.report.document import CheckBox, Paragraph, bookmark
from scan.report.language import WORDS, _, long_date, ngettext
from scan.report.sections.blocks import (
    CONTACT_TABLE_STYLE,
    Context,
    box_table,
    bullets,
    contact_markup,
    header_row,
    make_heading,
    make_table,
    pair_table,
    referral_of,
    with_colour,
)
from scan.report.styles import (
    CONTENT_WIDTH,
    DANGER,
    DANGER_LIGHT,
    LIGHT,
    MUTED,
    PRIMARY,
    PRIORITY_COLOURS,
    RULE,
    TINT,
    WHITE,
    ink,
)
from scan.report.typesetting import para
from scan.scoring import FiredAdvice, Result

# --- cover ----------------------------------------------------------------------------------


def cover(ctx: Context, week: Sequence[Flowable] = ()) -> list[Flowable]:
    """Return the cover: title, sector, date, reference, this week's calls (`week`, see
    scan/report/first_page.py) and a confidentiality note."""
    st, result = ctx.st, ctx.result
    facts = [
        (_("Sector"), para(result.sector)),
        (_("Datum"), long_date(ctx.day)),
        (_("Vragenlijst"), _("versie {version}").format(version=result.version)),
        (_("Referentie"), para(ctx.reference)),
    ]
    rows = [[Paragraph(label, st.muted), Paragraph(value, st.body)] for label, value in facts]
    widths = [3.4 * cm, CONTENT_WIDTH - 3.4 * cm]
    if week:  # two facts a row: room for this week's calls
        rows = [rows[0] + rows[1], rows[2] + rows[3]]
        widths = [2.2 * cm, CONTENT_WIDTH / 2 - 2.2 * cm] * 2
    facts_table = make_table(
        rows,
        widths,
        [
            ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    if result.red_flag:  # the outcome and today's calls first, before anything else
        return [
            bookmark(Paragraph(_("Resultaat van uw scan"), st.muted), _("Voorblad"), 0),
            Spacer(1, 4),
            Paragraph(para(result.title), st.cover_subtitle),
            today_box(ctx),
            Spacer(1, 0.4 * cm),
            facts_table,
            NextPageTemplate("body"),
            PageBreak(),
        ]
    return [
        bookmark(Paragraph(_("Resultaat van uw scan"), st.muted), _("Voorblad"), 0),
        Spacer(1, 4),
        Paragraph(para(result.title), st.cover_title),
        Paragraph(_(texts.SUBTITLE), st.cover_subtitle),
        facts_table,
        Spacer(1, 0.1 * cm if week else 0.6 * cm),
        *week,
        # With this week's calls on it, the cover offers an adviser's help in one line, and
        # keeps the box with room to write for a shared scan.
        *(
            [_adviser_box(ctx), Spacer(1, 0.4 * cm if not week else 0.1 * cm)]
            if not week or ctx.adviser
            else [Paragraph(_(texts.ADVISER_NONE), st.small), Spacer(1, 0.2 * cm)]
        ),
        box_table(
            [Paragraph(_(texts.CONFIDENTIAL), st.small)],
            background=LIGHT,
            padding=6 if week else 10,
        ),
        NextPageTemplate("body"),
        PageBreak(),
    ]


def today_box(ctx: Context) -> Table:
    """Return the red flag's outcome and at most three steps for today, each with its number.

    The calls come before what not to do; the same steps as on the web page.
    """
    st, result = ctx.st, ctx.result
    content: list[Flowable] = [
        Paragraph(
            _("Uitkomst: {label}").format(label=para(outcome_label(ctx))),
            with_colour(st.h1, DANGER),
        ),
        Paragraph(para(result.outcome.explanation if result.outcome else ""), st.body),
        Spacer(1, 4),
        Paragraph(_("Doe dit vandaag"), with_colour(st.box_title, DANGER)),
    ]
    for n, step in enumerate(today_steps(ctx.q, result), start=1):
        calls = [
            _("Bel {name}: <b>{phone}</b>").format(name=para(ref.name), phone=para(ref.phone))
            for ref in step.calls
            if ref.phone
        ]
        content.append(Paragraph(f"{n}. {para(step.text)}", st.body))
        content += [Paragraph(call, st.bullet) for call in calls]
    content += [
        Spacer(1, 4),
        Paragraph(_("<b>Niet doen:</b>") + f" {para(today_avoid(ctx.q))}", st.body),
    ]
    return box_table(content, background=DANGER_LIGHT, bar=DANGER, border=DANGER)


def _adviser_box(ctx: Context) -> Table:
    """Return the cover's adviser box: who the scan was shared with, with room to write."""
    st = ctx.st
    if ctx.adviser is None:
        return box_table([Paragraph(_(texts.ADVISER_NONE), st.small)], background=TINT, bar=PRIMARY)
    organisation, contact = ctx.adviser
    who = f"<b>{para(organisation)}</b>" + (f" \u00b7 {para(contact)}" if contact else "")
    name, phone = (_(text) for text in texts.ADVISER_FILL)
    inner = CONTENT_WIDTH - 2 * 10 - 4
    fill = make_table(
        [[Paragraph(name, st.muted), "", Paragraph(phone, st.muted), ""]],
        [2.6 * cm, inner / 2 - 2.6 * cm, 1.8 * cm, inner / 2 - 1.8 * cm],
        [
            ("LINEBELOW", (1, 0), (1, 0), 0.5, MUTED),
            ("LINEBELOW", (3, 0), (3, 0), 0.5, MUTED),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )
    lines = [
        Paragraph(f"{_(texts.ADVISER_TITLE)}: {_(texts.ADVISER_INTRO)}", st.muted),
        Paragraph(who, st.body),
        fill,
    ]
    return box_table(lines, background=TINT, bar=PRIMARY)


# --- this week ------------------------------------------------------------------------------


def this_week(ctx: Context) -> list[Flowable]:
    """Return the one-page "Doe dit deze week": the three most urgent steps and whom to call."""
    st, result = ctx.st, ctx.result
    story: list[Flowable] = [make_heading(_(texts.WEEK_TITLE), st.h1, 0)]
    score = (
        " " + _("Totaalscore {score} van de 100.").format(score=score_figure(result.overall))
        if result.overall is not None
        else ""
    )
    outcome = _("Uw uitkomst: <b>{label}</b>.").format(label=para(outcome_label(ctx)))
    story.append(Paragraph(outcome + score, st.lead))
    steps = week_steps(result.advice)
    inner = CONTENT_WIDTH - 2 * 10 - 4
    if steps:
        story.append(Paragraph(_(texts.WEEK_INTRO), st.body))
        story.append(Spacer(1, 6))
        for n, (item, step) in enumerate(steps, start=1):
            row = pair_table(
                [
                    Paragraph(f"{n}. {para(step)}", st.box_title),
                    Paragraph(f"{_(texts.WEEK_FROM)} {para(item.title)}", st.muted),
                ],
                CheckBox(12),
                inner,
                1 * cm,
                valign="TOP",
                top=0,
                bottom=0,
            )
            story += [
                box_table(
                    [row],
                    background=DANGER_LIGHT if item.red_flag else WHITE,
                    bar=PRIORITY_COLOURS[item.priority],
                    border=RULE,
                ),
                Spacer(1, 8),
            ]
    else:
        story.append(Paragraph(_(texts.WEEK_NONE), st.body))
    story += [Spacer(1, 6), make_heading(_(texts.WEEK_CALL), st.h2), *_week_calls(ctx)]
    if not steps:  # nothing to do this week: the summary may follow on the same page
        return [KeepTogether(story), Spacer(1, 18)]
    return [KeepTogether(story), PageBreak()]


def week_steps(advice: Sequence[FiredAdvice], count: int = 3) -> list[tuple[FiredAdvice, str]]:
    """Return the most urgent steps: each top tip's first step, then their next steps."""
    steps = [(item, item.steps[0]) for item in advice[:count]]
    for item in advice[:count]:
        steps += [(item, step) for step in item.steps[1:]]
    return steps[:count]


def week_call_ids(result: Result) -> list[str]:
    """Return whom "Doe dit deze week" tells to call: 112 first, then the top tips' contacts."""
    ids = ["noodnummer_112", texts.MMA_ID]
    if result.red_flag:
        ids.append(texts.VERTROUWENSLIJN_ID)
    for item, _step in week_steps(result.advice):
        ids.extend(item.referrals)
    return list(dict.fromkeys(ids))


def _week_calls(ctx: Context) -> list[Flowable]:
    """Return whom to call for the week's steps: 112 first, then the steps' contacts."""
    st = ctx.st
    situations = {ref_id: _(situation) for situation, ref_id, *_rest in texts.WHO_TO_CALL}
    rows = [header_row((_("Wanneer?"), _("Wie"), _("Hoe")), st)]
    for ref_id in week_call_ids(ctx.result):
        ref = referral_of(ctx, ref_id)
        if ref is None:
            continue
        when = situations.get(ref_id) or _first_sentence(ref.when)
        rows.append(
            [
                Paragraph(para(when), st.cell),
                Paragraph(f"<b>{para(ref.name)}</b>", st.cell),
                Paragraph(contact_markup(ref), st.cell),
            ]
        )
    if len(rows) == 1:
        return [Paragraph(f"{_(texts.WEEK_DANGER)}: <b>{texts.EMERGENCY}</b>", st.body)]
    table = make_table(
        rows,
        [CONTENT_WIDTH - 10.6 * cm, 5.6 * cm, 5 * cm],
        CONTACT_TABLE_STYLE,
        repeat=1,
    )
    return [table]


def _first_sentence(text: str) -> str:
    """Return the first sentence of a text (a referral's "when")."""
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


# --- summary --------------------------------------------------------------------------------


def summary(ctx: Context) -> list[Flowable]:
    """Return the summary: red flag, overall level, theme chart and how many tips there are."""
    st, result = ctx.st, ctx.result
    story: list[Flowable] = [make_heading(_("Samenvatting"), st.h1, 0)]
    if result.red_flag:
        story += [_red_flag_box(ctx), Spacer(1, 12)]
    story += [_outcome_box(ctx), Spacer(1, 6)]
    story += [
        KeepTogether(
            [
                make_heading(_("Score per onderwerp"), st.h2),
                Spacer(1, 4),
                theme_chart(result.themes, ctx.q.risk_levels, CONTENT_WIDTH),
                Spacer(1, 6),
                Paragraph(_(texts.CHART_NOTE), st.muted),
            ]
        ),
        Spacer(1, 8),
    ]
    story += _advice_count(ctx)
    return story


def _red_flag_box(ctx: Context) -> Table:
    """Return the urgent box: a serious signal, do not act alone, whom to call."""
    st, result = ctx.st, ctx.result
    mma = referral_of(ctx, texts.MMA_ID)
    mma_phone = mma.phone if mma and mma.phone else texts.MMA_PHONE
    calls = [
        _("Is er direct gevaar? Bel <b>{number}</b>.").format(number=texts.EMERGENCY),
        _("Anoniem melden: <b>{name}</b>, <b>{phone}</b> (gratis).").format(
            name=texts.MMA_NAME, phone=para(mma_phone)
        ),
    ]
    seen = set(texts.NATIONAL_IDS)
    trust = referral_of(ctx, texts.VERTROUWENSLIJN_ID)
    if trust is not None:
        seen.add(trust.id)
        contact = contact_markup(trust, inline=True)
        calls.append(_("Onder druk gezet of bedreigd?") + f" {para(trust.name)}: {contact}")
    calls.append(
        _("Aangifte doen of advies van de politie: bel <b>{number}</b>.").format(
            number=texts.POLICE
        )
    )
    for item in result.advice:
        if not item.red_flag:
            continue
        for ref_id in item.referrals:
            ref = referral_of(ctx, ref_id)
            if ref is None or ref_id in seen:
                continue
            seen.add(ref_id)
            calls.append(f"{para(ref.name)}: {contact_markup(ref, inline=True)}")
    about = [para(item.title) for item in result.advice if item.red_flag]
    content: list[Flowable] = [
        Paragraph(para(_(texts.RED_FLAG_TITLE)), with_colour(st.box_title, DANGER)),
        Paragraph(_(texts.RED_FLAG_INTRO).format(label=para(outcome_label(ctx))), st.body),
    ]
    if about:
        content.append(Paragraph(_(texts.RED_FLAG_ABOUT), st.label))
        content += bullets(about, st)
    content += [Spacer(1, 4), Paragraph(_(texts.RED_FLAG_ALONE), st.body), *bullets(calls, st)]
    return box_table(content, background=DANGER_LIGHT, bar=DANGER, border=DANGER)


def _outcome_box(ctx: Context) -> Table:
    """Return the overall level in plain words, with the total score and what it means."""
    st, result = ctx.st, ctx.result
    colour = DANGER if result.red_flag else ctx.level_colour(result.overall)
    text_colour = ink(colour)
    label = outcome_label(ctx)
    score = (
        _("Totaalscore <b>{score}</b> van de 100").format(score=score_figure(result.overall))
        if result.overall is not None
        else _("Geen totaalscore")
    )
    inner_width = CONTENT_WIDTH - 2 * 12 - 4
    top = pair_table(
        Paragraph(para(label), with_colour(st.big, text_colour)),
        Paragraph(score, with_colour(st.right, text_colour)),
        inner_width,
        6.5 * cm,
        valign="BOTTOM",
        top=0,
        bottom=4,
    )
    content: list[Flowable] = [Paragraph(_("Uw uitkomst"), st.muted), top]
    if result.outcome:
        content.append(Paragraph(para(result.outcome.explanation), st.body))
    if result.red_flag and result.score_level is not None:
        content.append(
            Paragraph(
                _(texts.RED_FLAG_SCORE).format(
                    score=score_figure(result.overall), level=para(result.score_level.label.lower())
                ),
                st.body,
            )
        )
    if result.overall is None:
        content.append(Paragraph(_(texts.NO_SCORE), st.body))
    content.append(Paragraph(para(counts_sentence(result, WORDS)), st.muted))
    return box_table(content, background=LIGHT, bar=colour, padding=12)


def outcome_label(ctx: Context) -> str:
    """Return the outcome's label: the red-flag outcome or the level ("Geen uitkomst")."""
    outcome = ctx.result.outcome
    return outcome.label if outcome else _("Geen uitkomst")


def _advice_count(ctx: Context) -> list[Flowable]:
    """Return how many tips there are and where they are (the first ones are on page 2)."""
    st, result = ctx.st, ctx.result
    if not result.advice:
        return [make_heading(_("Uw tips"), st.h2), Paragraph(_(texts.NO_ADVICE), st.body)]
    total = ngettext("%(num)d tip", "%(num)d tips", len(result.advice))
    return [Paragraph(_(texts.ADVICE_WHERE).format(total=total), st.muted)]
