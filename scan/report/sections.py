"""The report's sections as lists of flowables: cover, summary, themes, plan, help, method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from ..presentation import AnsweredQuestion, answers_by_theme, counts_sentence, dutch_date, plural
from ..questionnaire.model import (
    NOT_APPLICABLE,
    PRIORITY_LABELS,
    UNKNOWN,
    Questionnaire,
    Referral,
)
from ..questionnaire.plan import QuestionPlan
from ..scoring import Answer, FiredAdvice, Result, ThemeScore, risk_level_index
from . import texts
from .chart import score_bar, theme_chart
from .document import CheckBox, Paragraph, bookmark
from .styles import (
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
    Styles,
    ink,
    level_colours,
)
from .text import FONT, number, para

TOP_PRIORITIES = 5
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

    @cached_property
    def answered(self) -> dict[str, tuple[AnsweredQuestion, ...]]:
        """Return each theme's visible questions with the answers in words (none: no answers)."""
        if self.answers is None:
            return {}
        return {part.theme.id: part.rows for part in answers_by_theme(self.q, self.answers)}

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


def _table(rows, widths, commands, *, repeat: int = 0, **options) -> Table:
    """Return a table whose rows may split across pages when a cell is taller than a page."""
    table = Table(rows, colWidths=widths, repeatRows=repeat, splitInRow=1, hAlign="LEFT", **options)
    # Plain-string cells (the empty ones to fill in) would otherwise be set in Helvetica.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return table


def _pair(
    left,
    right,
    total: float,
    right_width: float,
    *,
    valign: str,
    top: float,
    bottom: float,
    extra: tuple = (),
) -> Table:
    """Return one unpadded row of two cells, the right one right-aligned, e.g. title + tag."""
    return _table(
        [[left, right]],
        [total - right_width, right_width],
        [
            ("VALIGN", (0, 0), (-1, -1), valign),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            *extra,
        ],
    )


def _box(
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
    return _table([[content]], [CONTENT_WIDTH], commands)


def _tag(text: str, colour: Color, st: Styles, width: float = 2.4 * cm) -> Table:
    """Return a small coloured label, e.g. a priority."""
    return _table(
        [[Paragraph(para(text), st.tag)]],
        [width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), colour),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def _heading(text: str, style, level: int | None = None) -> Paragraph:
    """Return a heading; with a level it also becomes an entry in the PDF outline."""
    heading = Paragraph(para(text), style)
    return bookmark(heading, " ".join(text.split()), level) if level is not None else heading


def _bullets(items: Sequence[str], st: Styles) -> list[Flowable]:
    """Return a bulleted list of (already marked-up) items."""
    return [Paragraph(item, st.bullet, bulletText="\u2022") for item in items]


def _header_row(titles: Sequence[str], st: Styles) -> list[Paragraph]:
    """Return the header cells of a table."""
    return [Paragraph(title, st.cell_head) for title in titles]


def _link(url: str) -> str:
    """Return markup for a clickable web address, shown without https:// and www."""
    shown = url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    if not url.startswith(("https://", "http://")):
        return para(shown)
    href = escape(url, {'"': "&quot;"})
    return f'<a href="{href}" color="#154273">{para(shown)}</a>'


def _contact(ref: Referral, *, inline: bool = False) -> str:
    """Return a referral's ways to get in touch as markup, phone first."""
    parts = []
    if ref.phone:
        parts.append(f"<b>{para(ref.phone)}</b>")
    if ref.url:
        parts.append(_link(ref.url))
    if ref.contact:
        parts.append(para(ref.contact))
    return (", " if inline else "<br/>").join(parts)


def _referral(ctx: Context, ref_id: str) -> Referral | None:
    return ctx.q.registry.get(ref_id)


# --- cover ----------------------------------------------------------------------------------


def cover(ctx: Context) -> list[Flowable]:
    """Return the cover: title, sector, date, reference and a confidentiality note."""
    st, result = ctx.st, ctx.result
    facts = [
        ("Sector", para(result.sector)),
        ("Datum", dutch_date(ctx.day)),
        ("Vragenlijst", f"versie {result.version}"),
        ("Referentie", para(ctx.reference)),
    ]
    rows = [[Paragraph(label, st.muted), Paragraph(value, st.body)] for label, value in facts]
    facts_table = _table(
        rows,
        [3.4 * cm, CONTENT_WIDTH - 3.4 * cm],
        [
            ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    return [
        bookmark(Paragraph("Resultaat van uw scan", st.muted), "Voorblad", 0),
        Spacer(1, 4),
        Paragraph(para(result.title), st.cover_title),
        Paragraph(texts.SUBTITLE, st.cover_subtitle),
        facts_table,
        Spacer(1, 1.2 * cm),
        _box([Paragraph(texts.CONFIDENTIAL, st.small)], background=LIGHT, padding=10),
        NextPageTemplate("body"),
        PageBreak(),
    ]


# --- summary --------------------------------------------------------------------------------


def summary(ctx: Context) -> list[Flowable]:
    """Return the summary: red flag, overall level, theme chart and top priorities."""
    st, result = ctx.st, ctx.result
    story: list[Flowable] = [_heading("Samenvatting", st.h1, 0)]
    if result.red_flag:
        story += [_red_flag_box(ctx), Spacer(1, 12)]
    story += [_outcome_box(ctx), Spacer(1, 6)]
    story += [
        KeepTogether(
            [
                _heading("Score per onderwerp", st.h2),
                Spacer(1, 4),
                theme_chart(result.themes, ctx.q.risk_levels, CONTENT_WIDTH),
                Spacer(1, 6),
                Paragraph(texts.CHART_NOTE, st.muted),
            ]
        ),
        Spacer(1, 8),
    ]
    story += _top_priorities(ctx)
    return story


def _red_flag_box(ctx: Context) -> Table:
    """Return the urgent box: a serious signal, do not act alone, whom to call."""
    st, result = ctx.st, ctx.result
    mma = _referral(ctx, texts.MMA_ID)
    mma_phone = mma.phone if mma and mma.phone else texts.MMA_PHONE
    calls = [
        f"Is er direct gevaar? Bel <b>{texts.EMERGENCY}</b>.",
        f"Anoniem melden: <b>{texts.MMA_NAME}</b>, <b>{para(mma_phone)}</b> (gratis). "
        "Niemand hoeft te weten wie u bent.",
        f"Aangifte doen of advies van de politie: bel <b>{texts.POLICE}</b>.",
    ]
    seen = set(texts.NATIONAL_IDS)
    for item in result.advice:
        if not item.red_flag:
            continue
        for ref_id in item.referrals:
            ref = _referral(ctx, ref_id)
            if ref is None or ref_id in seen:
                continue
            seen.add(ref_id)
            calls.append(f"{para(ref.name)}: {_contact(ref, inline=True)}")
    about = [para(item.title) for item in result.advice if item.red_flag]
    content: list[Flowable] = [
        Paragraph(para(texts.RED_FLAG_TITLE), _with_colour(st.box_title, DANGER)),
        Paragraph(texts.RED_FLAG_INTRO, st.body),
    ]
    if about:
        content.append(Paragraph(texts.RED_FLAG_ABOUT, st.label))
        content += _bullets(about, st)
    content += [Spacer(1, 4), Paragraph(texts.RED_FLAG_ALONE, st.body), *_bullets(calls, st)]
    return _box(content, background=DANGER_LIGHT, bar=DANGER, border=DANGER)


def _with_colour(style: ParagraphStyle, colour: Color) -> ParagraphStyle:
    """Return a copy of a style in another text colour."""
    return ParagraphStyle(f"{style.name}-{colour.hexval()}", parent=style, textColor=colour)


def _outcome_box(ctx: Context) -> Table:
    """Return the overall level in plain words, with the total score and what it means."""
    st, result = ctx.st, ctx.result
    colour = DANGER if result.red_flag else ctx.level_colour(result.overall)
    text_colour = ink(colour)
    label = result.risk.label if result.risk else "Geen uitkomst"
    score = (
        f"Totaalscore <b>{number(result.overall)}</b> van de 100"
        if result.overall is not None
        else "Geen totaalscore"
    )
    inner_width = CONTENT_WIDTH - 2 * 12 - 4
    top = _pair(
        Paragraph(para(label), _with_colour(st.big, text_colour)),
        Paragraph(score, _with_colour(st.right, text_colour)),
        inner_width,
        6.5 * cm,
        valign="BOTTOM",
        top=0,
        bottom=4,
    )
    content: list[Flowable] = [Paragraph("Uw uitkomst", st.muted), top]
    if result.risk:
        content.append(Paragraph(para(result.risk.explanation), st.body))
    if result.red_flag and result.overall is not None:
        content.append(
            Paragraph(
                f"Uw score is {number(result.overall)}, maar door een ernstig signaal in uw "
                f"antwoorden is uw uitkomst “{para(label)}”.",
                st.body,
            )
        )
    if result.overall is None:
        content.append(Paragraph(texts.NO_SCORE, st.body))
    content.append(Paragraph(para(counts_sentence(result)), st.muted))
    return _box(content, background=LIGHT, bar=colour, padding=12)


def _top_priorities(ctx: Context) -> list[Flowable]:
    """Return the most urgent advice as a short table, or a word of praise when there is none."""
    st, result = ctx.st, ctx.result
    heading = _heading("Uw belangrijkste actiepunten", st.h2)
    if not result.advice:
        return [heading, Paragraph(texts.NO_ADVICE, st.body)]
    titles = {t.id: t.title for t in result.themes}
    rows: list[list] = [_header_row(("", "Wat", "Onderwerp", "Prioriteit"), st)]
    for index, item in enumerate(result.advice[:TOP_PRIORITIES], start=1):
        rows.append(
            [
                Paragraph(str(index), st.cell_bold),
                Paragraph(para(item.title), st.cell_bold),
                Paragraph(para(titles.get(item.theme, "")), st.cell),
                _tag(PRIORITY_LABELS[item.priority], PRIORITY_COLOURS[item.priority], st),
            ]
        )
    widths = [0.8 * cm, CONTENT_WIDTH - 0.8 * cm - 4.4 * cm - 2.8 * cm, 4.4 * cm, 2.8 * cm]
    table = _table(
        rows,
        widths,
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        repeat=1,
    )
    more = len(result.advice) - TOP_PRIORITIES
    story: list[Flowable] = [heading, table]
    total = plural(len(result.advice), "tip", "tips")
    if more > 0:
        story.append(Spacer(1, 4))
        story.append(
            Paragraph(
                f"U heeft in totaal {total}. Ze staan allemaal per onderwerp verderop "
                "in dit rapport, en in het actieplan.",
                st.muted,
            )
        )
    return story


# --- themes ---------------------------------------------------------------------------------


def themes(ctx: Context) -> list[Flowable]:
    """Return one part per theme: score, answers that need attention, advice with steps."""
    st = ctx.st
    story: list[Flowable] = [
        CondPageBreak(16 * cm),
        Spacer(1, 12),
        _heading("Resultaat per onderwerp", st.h1, 0),
        Paragraph(texts.THEMES_INTRO, st.lead),
    ]
    for index, theme in enumerate(ctx.result.themes, start=1):
        story += _theme(ctx, index, theme)
    return story


def _theme(ctx: Context, index: int, theme: ThemeScore) -> list[Flowable]:
    """Return one theme's part."""
    st = ctx.st
    story: list[Flowable] = [CondPageBreak(7 * cm), Spacer(1, 10)]
    title = _heading(f"{index}. {theme.title}", st.h2, 1)
    title.outline = (f"{index}. {' '.join(theme.title.split())}", 1)
    if theme.score is None:
        line = "<b>Geen score</b>"
    else:
        line = (
            f"Score <b>{number(theme.score)}</b> van de 100 \u00b7 "
            f"{para(ctx.level_label(theme.score))}"
        )
    score_row = _pair(
        Paragraph(line, st.body),
        score_bar(theme.score, ctx.q.risk_levels, 5.5 * cm),
        CONTENT_WIDTH,
        5.5 * cm,
        valign="MIDDLE",
        top=2,
        bottom=6,
        extra=(("LINEBELOW", (0, 0), (-1, -1), 1, PRIMARY),),
    )
    score_row.keepWithNext = True
    model = ctx.q.compiled.themes.get(theme.id)
    about = [para(model.description)] if model else []
    about.append(_theme_counts(ctx, theme))
    header: list[Flowable] = [
        title,
        score_row,
        Spacer(1, 6),
        Paragraph(" ".join(a for a in about if a), st.muted),
    ]
    advice = [item for item in ctx.result.advice if item.theme == theme.id]
    attention = _attention(ctx, theme.id, advice)
    parts: list[list[Flowable]] = []
    if attention:
        parts.append(
            [_heading("Antwoorden die aandacht vragen", st.h3), _attention_table(ctx, attention)]
        )
    for index_, item in enumerate(advice):
        lead = [_heading("Wat kunt u doen?", st.h3)] if index_ == 0 else []
        parts.append([*lead, _advice_block(ctx, item), Spacer(1, 10)])
    if not advice and theme.score is not None:
        parts.append([Paragraph(texts.THEME_NO_ADVICE, st.body)])
    # Keep the theme's header with its first part, and every heading with what follows it
    # (KeepTogether itself cannot be "kept with next", so headings go inside the groups).
    if parts:
        parts[0] = header + parts[0]
    else:
        parts = [header]
    story += [KeepTogether(part) for part in parts]
    return story


def _theme_counts(ctx: Context, theme: ThemeScore) -> str:
    """Return what the theme's score is based on, and any cap or extra weight."""
    if theme.score is None:
        return texts.THEME_NO_SCORE
    parts = [f"De score is gebaseerd op {plural(theme.counted, 'vraag', 'vragen')}."]
    if theme.unknown:
        parts.append(f"{theme.unknown} keer “Weet ik niet” of “Niet van toepassing” telt niet mee.")
    if theme.skipped:
        parts.append(f"{plural(theme.skipped, 'vraag', 'vragen')} sloeg u over.")
    if theme.weight != 1:
        parts.append(f"Dit onderwerp weegt {number(theme.weight)} keer mee in de totaalscore.")
    if theme.capped_by:
        parts.append(f"Door een ernstig antwoord is deze score maximaal {number(theme.score)}.")
    return " ".join(parts)


def _attention(ctx: Context, theme_id: str, advice: list[FiredAdvice]) -> list[tuple[str, str]]:
    """Return (question, answer) pairs that need attention, in questionnaire order.

    These are the answers that made this theme's advice fire, plus, when the raw answers are
    known, every scored answer in the theme that is not the best one or is "Weet ik niet".
    """
    order = {question.id: i for i, question in enumerate(ctx.q.questions)}
    found: dict[str, tuple[str, str]] = {}
    for item in advice:
        for trigger in item.triggers:
            found.setdefault(trigger.question_id, (trigger.question, trigger.answer))
    for row in ctx.answered.get(theme_id, ()):
        question, value = row.question, row.value
        if value is None or not question.scored or question.id in found:
            continue
        if _below_best(ctx.q.compiled.plans[question.id], value):
            found[question.id] = (question.text, row.label)
    return [found[k] for k in sorted(found, key=lambda k: order.get(k, len(order)))]


def _below_best(plan: QuestionPlan, value: Answer) -> bool:
    """Tell whether a scored answer is "Weet ik niet" or scores less than the best answer."""
    if value == UNKNOWN or value == [UNKNOWN]:
        return True
    if value == NOT_APPLICABLE or value == [NOT_APPLICABLE]:
        return False
    return plan.fraction(value) < plan.best()


def _attention_table(ctx: Context, rows: list[tuple[str, str]]) -> Table:
    """Return the answers that need attention as a two-column table."""
    st = ctx.st
    data = [[Paragraph("Vraag", st.cell_head), Paragraph("Uw antwoord", st.cell_head)]]
    data += [[Paragraph(para(q), st.cell), Paragraph(para(a), st.cell_bold)] for q, a in rows]
    return _table(
        data,
        [CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38],
        [
            ("BACKGROUND", (0, 0), (-1, 0), MUTED),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, LIGHT]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ],
        repeat=1,
    )


def _advice_block(ctx: Context, item: FiredAdvice) -> Table:
    """Return one piece of advice: title, priority, why, concrete steps and whom to ask."""
    st = ctx.st
    colour = PRIORITY_COLOURS[item.priority]
    inner_width = CONTENT_WIDTH - 2 * 10 - 4
    head = _pair(
        Paragraph(para(item.title), st.box_title),
        _tag(PRIORITY_LABELS[item.priority], colour, st),
        inner_width,
        2.6 * cm,
        valign="TOP",
        top=0,
        bottom=2,
    )
    content: list[Flowable] = [head, Paragraph(para(item.explanation), st.body)]
    content.append(Paragraph("Stappen", st.label))
    content += [
        Paragraph(para(step), st.step, bulletText=f"{n}.")
        for n, step in enumerate(item.steps, start=1)
    ]
    refs = [ref for ref in (_referral(ctx, r) for r in item.referrals) if ref is not None]
    if refs:
        names = [
            f"{para(ref.name)} ({para(ref.phone)})"
            if ref.phone and ref.phone not in ref.name
            else para(ref.name)
            for ref in refs
        ]
        content.append(Spacer(1, 2))
        content.append(Paragraph("<b>Hulp hierbij:</b> " + "; ".join(names), st.small))
    background = DANGER_LIGHT if item.red_flag else WHITE
    return _box(content, background=background, bar=colour, border=RULE, padding=10)


# --- action plan ----------------------------------------------------------------------------


def action_plan(ctx: Context) -> list[Flowable]:
    """Return the action plan: every piece of advice as a row to fill in, plus empty rows."""
    st, result = ctx.st, ctx.result
    titles = {t.id: t.title for t in result.themes}
    head = [Paragraph(h, st.cell_head) for h in ("Nr", "Maatregel", "Wie", "Wanneer", "Klaar")]
    rows: list[list] = [head]
    for index, item in enumerate(result.advice, start=1):
        detail = f"{para(titles.get(item.theme, ''))} \u00b7 {PRIORITY_LABELS[item.priority]}"
        rows.append(
            [
                Paragraph(str(index), st.cell_bold),
                [Paragraph(para(item.title), st.cell_bold), Paragraph(detail, st.muted)],
                "",
                "",
                CheckBox(),
            ]
        )
    start = len(result.advice) + 1
    for index in range(start, start + texts.ACTION_PLAN_EMPTY_ROWS):
        rows.append([Paragraph(str(index), st.cell), "", "", "", CheckBox()])
    widths = [0.9 * cm, 8.1 * cm, 3.3 * cm, 2.8 * cm, 1.5 * cm]
    widths[1] = CONTENT_WIDTH - sum(widths) + widths[1]
    table = _table(
        rows,
        widths,
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, PRIMARY),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("VALIGN", (0, 1), (-1, -1), "TOP"),
            ("ALIGN", (4, 0), (4, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 12),
        ],
        repeat=1,
        minRowHeights=[0] + [34] * (len(rows) - 1),
    )
    return [
        PageBreak(),
        _heading("Actieplan", st.h1, 0),
        Paragraph(texts.ACTION_PLAN_INTRO, st.lead),
        Spacer(1, 4),
        table,
    ]


# --- adviser notes --------------------------------------------------------------------------


def adviser_notes(ctx: Context) -> list[Flowable]:
    """Return the adviser's notes as a table (only called when there are notes)."""
    st = ctx.st
    rows: list[list] = [[Paragraph(h, st.cell_head) for h in ("Datum", "Adviseur", "Notitie")]]
    for date, author, text in ctx.notes or ():
        rows.append(
            [
                Paragraph(para(date), st.cell),
                Paragraph(para(author), st.cell_bold),
                Paragraph(para(text), st.cell),
            ]
        )
    widths = [2.8 * cm, 3.6 * cm, CONTENT_WIDTH - 6.4 * cm]
    table = _table(
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
        _heading("Notities van de adviseur", st.h1, 0),
        Paragraph(texts.NOTES_INTRO, st.body),
        table,
    ]


# --- reporting and help ---------------------------------------------------------------------


def help_page(ctx: Context) -> list[Flowable]:
    """Return "Melden en hulp": Meld Misdaad Anoniem, who to call when, and sector referrals."""
    st = ctx.st
    mma = _referral(ctx, texts.MMA_ID)
    phone = mma.phone if mma and mma.phone else texts.MMA_PHONE
    mma_box = _box(
        [
            Paragraph(texts.MMA_NAME, st.box_title),
            Paragraph(
                f"Bel gratis <b>{para(phone)}</b> of meld online via "
                f"<b>{_link('https://www.' + texts.MMA_SITE)}</b>",
                st.lead,
            ),
            Paragraph(texts.MMA_ANONYMOUS, st.body),
            Paragraph(texts.MMA_NOT_FOR, st.body),
            *_bullets(list(texts.MMA_NOT_FOR_ITEMS), st),
        ],
        background=TINT,
        bar=PRIMARY,
        padding=12,
    )
    who = [[Paragraph(h, st.cell_head) for h in ("Wat is er aan de hand?", "Wie", "Bel")]]
    for situation, name, number_ in texts.WHO_TO_CALL:
        who.append(
            [
                Paragraph(situation, st.cell),
                Paragraph(name, st.cell_bold),
                Paragraph(f"<b>{number_}</b>", st.cell_bold),
            ]
        )
    who_table = _table(
        who,
        [CONTENT_WIDTH - 8 * cm, 5 * cm, 3 * cm],
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        repeat=1,
    )
    story: list[Flowable] = [
        PageBreak(),
        _heading("Melden en hulp", st.h1, 0),
        mma_box,
        Spacer(1, 14),
        _heading("Wie belt u wanneer?", st.h2),
        Spacer(1, 4),
        who_table,
    ]
    others = [ref for ref in ctx.result.referrals if ref.id not in texts.NATIONAL_IDS]
    if others:
        story += [
            Spacer(1, 14),
            _heading("Meer hulp bij de onderwerpen uit uw scan", st.h2),
            Paragraph(texts.SECTOR_HELP_INTRO, st.body),
            _referral_table(ctx, others),
        ]
    return story


def _referral_table(ctx: Context, refs: Sequence[Referral]) -> Table:
    """Return the sector's referrals: name and when to contact them, next to how."""
    st = ctx.st
    rows = []
    for ref in refs:
        about = [Paragraph(f"<b>{para(ref.name)}</b>", st.cell), Paragraph(para(ref.when), st.cell)]
        if ref.anonymous:
            about.append(Paragraph(texts.ANONYMOUS_OK, st.muted))
        rows.append(
            [
                about,
                Paragraph(_contact(ref), st.cell),
            ]
        )
    return _table(
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
    rows: list[list] = [_header_row(("Niveau", "Score", "Wat betekent dit?"), st)]
    for level, colour in zip(q.risk_levels, palette, strict=True):
        last = level is q.risk_levels[-1]
        span = f"{number(level.min)} tot {'en met ' if last else ''}{number(level.max)}"
        rows.append(
            [
                Paragraph(para(level.label), _with_colour(st.cell_bold, ink(colour))),
                Paragraph(span, st.cell),
                Paragraph(para(level.explanation), st.cell),
            ]
        )
    levels = _table(
        rows,
        [3.4 * cm, 3.4 * cm, CONTENT_WIDTH - 6.8 * cm],
        [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        repeat=1,
    )
    return [
        PageBreak(),
        _heading("Hoe werkt deze scan?", st.h1, 0),
        Paragraph(texts.HOW_INTRO, st.lead),
        *_bullets(list(texts.HOW_POINTS), st),
        Spacer(1, 6),
        Paragraph(texts.HOW_LEVELS, st.label),
        levels,
        Spacer(1, 14),
        _heading(texts.LIMITS_TITLE, st.h2),
        *_bullets(list(texts.LIMITS), st),
        Spacer(1, 10),
        _heading("Privacy", st.h2),
        Paragraph(texts.PRIVACY, st.body),
        Paragraph(
            f"Vragenlijst: {para(ctx.result.title)}, versie {ctx.result.version}. "
            f"Referentie: {para(ctx.reference)}. Rapport gemaakt op {dutch_date(ctx.day)}.",
            st.muted,
        ),
    ]
