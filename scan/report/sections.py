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
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from scan.presentation import (
    AnsweredQuestion,
    answers_by_theme,
    counts_sentence,
    dutch_date,
    plural,
)
from scan.questionnaire.model import (
    NOT_APPLICABLE,
    PRIORITY_LABELS,
    UNKNOWN,
    Questionnaire,
    Referral,
)
from scan.questionnaire.plan import QuestionPlan
from scan.report import wording as texts
from scan.report.chart import score_bar, theme_chart
from scan.report.document import CheckBox, Paragraph, Tag, bookmark
from scan.report.styles import (
    BODY_HEIGHT,
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
from scan.report.typesetting import FONT, number, para, plain
from scan.scoring import Answer, FiredAdvice, Result, ThemeScore, risk_level_index

TOP_PRIORITIES = 5
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


def _tag(text: str, colour: Color, st: Styles, width: float = 2.4 * cm) -> Tag:
    """Return a small coloured label, e.g. a priority."""
    return Tag(plain(text), colour, st.tag, width, pad=(2.5, 3.5, 3))


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


def _height(flowables: Sequence[Flowable]) -> float:
    """Return how tall flowables are when laid out at the content width."""
    return sum(f.wrap(CONTENT_WIDTH, BODY_HEIGHT)[1] for f in flowables)


def _referral(ctx: Context, ref_id: str) -> Referral | None:
    return ctx.q.registry.get(ref_id)


# --- cover ----------------------------------------------------------------------------------


def cover(ctx: Context, week: Sequence[Flowable] = ()) -> list[Flowable]:
    """Return the cover: title, sector, date, reference, this week's calls (`week`, see
    scan/report/first_page.py) and a confidentiality note."""
    st, result = ctx.st, ctx.result
    facts = [
        ("Sector", para(result.sector)),
        ("Datum", dutch_date(ctx.day)),
        ("Vragenlijst", f"versie {result.version}"),
        ("Referentie", para(ctx.reference)),
    ]
    rows = [[Paragraph(label, st.muted), Paragraph(value, st.body)] for label, value in facts]
    widths = [3.4 * cm, CONTENT_WIDTH - 3.4 * cm]
    if week:  # two facts a row: room for this week's calls
        rows = [rows[0] + rows[1], rows[2] + rows[3]]
        widths = [2.2 * cm, CONTENT_WIDTH / 2 - 2.2 * cm] * 2
    facts_table = _table(
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
    return [
        bookmark(Paragraph("Resultaat van uw scan", st.muted), "Voorblad", 0),
        Spacer(1, 4),
        Paragraph(para(result.title), st.cover_title),
        Paragraph(texts.SUBTITLE, st.cover_subtitle),
        facts_table,
        Spacer(1, 0.1 * cm if week else 0.6 * cm),
        *week,
        # With this week's calls on it, the cover offers an adviser's help in one line, and
        # keeps the box with room to write for a shared scan.
        *(
            [_adviser_box(ctx), Spacer(1, 0.4 * cm if not week else 0.1 * cm)]
            if not week or ctx.adviser
            else [Paragraph(texts.ADVISER_NONE, st.small), Spacer(1, 0.2 * cm)]
        ),
        _box(
            [Paragraph(texts.CONFIDENTIAL, st.small)], background=LIGHT, padding=6 if week else 10
        ),
        NextPageTemplate("body"),
        PageBreak(),
    ]


def _adviser_box(ctx: Context) -> Table:
    """Return the cover's adviser box: who the scan was shared with, with room to write."""
    st = ctx.st
    if ctx.adviser is None:
        return _box([Paragraph(texts.ADVISER_NONE, st.small)], background=TINT, bar=PRIMARY)
    organisation, contact = ctx.adviser
    who = f"<b>{para(organisation)}</b>" + (f" \u00b7 {para(contact)}" if contact else "")
    name, phone = texts.ADVISER_FILL
    inner = CONTENT_WIDTH - 2 * 10 - 4
    fill = _table(
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
        Paragraph(f"{texts.ADVISER_TITLE}: {texts.ADVISER_INTRO}", st.muted),
        Paragraph(who, st.body),
        fill,
    ]
    return _box(lines, background=TINT, bar=PRIMARY)


# --- this week ------------------------------------------------------------------------------


def this_week(ctx: Context) -> list[Flowable]:
    """Return the one-page "Doe dit deze week": the three most urgent steps and whom to call."""
    st, result = ctx.st, ctx.result
    story: list[Flowable] = [_heading(texts.WEEK_TITLE, st.h1, 0)]
    score = (
        f" Totaalscore {number(result.overall)} van de 100." if result.overall is not None else ""
    )
    story.append(Paragraph(f"Uw uitkomst: <b>{para(outcome_label(ctx))}</b>.{score}", st.lead))
    steps = week_steps(result.advice)
    inner = CONTENT_WIDTH - 2 * 10 - 4
    if steps:
        story.append(Paragraph(texts.WEEK_INTRO, st.body))
        story.append(Spacer(1, 6))
        for n, (item, step) in enumerate(steps, start=1):
            row = _pair(
                [
                    Paragraph(f"{n}. {para(step)}", st.box_title),
                    Paragraph(f"{texts.WEEK_FROM} {para(item.title)}", st.muted),
                ],
                CheckBox(12),
                inner,
                1 * cm,
                valign="TOP",
                top=0,
                bottom=0,
            )
            story += [
                _box(
                    [row],
                    background=DANGER_LIGHT if item.red_flag else WHITE,
                    bar=PRIORITY_COLOURS[item.priority],
                    border=RULE,
                ),
                Spacer(1, 8),
            ]
    else:
        story.append(Paragraph(texts.WEEK_NONE, st.body))
    top = [item for item, _ in steps]
    story += [Spacer(1, 6), _heading(texts.WEEK_CALL, st.h2), *_week_calls(ctx, top)]
    if not steps:  # nothing to do this week: the summary may follow on the same page
        return [KeepTogether(story), Spacer(1, 18)]
    return [KeepTogether(story), PageBreak()]


def week_steps(advice: Sequence[FiredAdvice], count: int = 3) -> list[tuple[FiredAdvice, str]]:
    """Return the most urgent steps: each top tip's first step, then their next steps."""
    steps = [(item, item.steps[0]) for item in advice[:count]]
    for item in advice[:count]:
        steps += [(item, step) for step in item.steps[1:]]
    return steps[:count]


def _week_calls(ctx: Context, top: Sequence[FiredAdvice]) -> list[Flowable]:
    """Return whom to call for the week's steps: 112 first, then the steps' contacts."""
    st = ctx.st
    ids = ["noodnummer_112", texts.MMA_ID]
    if ctx.result.red_flag:
        ids.append(texts.VERTROUWENSLIJN_ID)
    for item in top:
        ids.extend(item.referrals)
    situations = {ref_id: situation for situation, ref_id, _, _ in texts.WHO_TO_CALL}
    rows = [_header_row(("Wanneer?", "Wie", "Hoe"), st)]
    for ref_id in dict.fromkeys(ids):
        ref = _referral(ctx, ref_id)
        if ref is None:
            continue
        when = situations.get(ref_id) or _first_sentence(ref.when)
        rows.append(
            [
                Paragraph(para(when), st.cell),
                Paragraph(f"<b>{para(ref.name)}</b>", st.cell),
                Paragraph(_contact(ref), st.cell),
            ]
        )
    if len(rows) == 1:
        return [Paragraph(f"{texts.WEEK_DANGER}: <b>{texts.EMERGENCY}</b>", st.body)]
    table = _table(
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
        f"Anoniem melden: <b>{texts.MMA_NAME}</b>, <b>{para(mma_phone)}</b> (gratis).",
    ]
    seen = set(texts.NATIONAL_IDS)
    trust = _referral(ctx, texts.VERTROUWENSLIJN_ID)
    if trust is not None:
        seen.add(trust.id)
        calls.append(
            f"Onder druk gezet of bedreigd? {para(trust.name)}: {_contact(trust, inline=True)}"
        )
    calls.append(f"Aangifte doen of advies van de politie: bel <b>{texts.POLICE}</b>.")
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
        Paragraph(texts.RED_FLAG_INTRO.format(label=para(outcome_label(ctx))), st.body),
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
    label = outcome_label(ctx)
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
    if result.outcome:
        content.append(Paragraph(para(result.outcome.explanation), st.body))
    if result.red_flag and result.score_level is not None:
        content.append(
            Paragraph(
                texts.RED_FLAG_SCORE.format(
                    score=number(result.overall), level=para(result.score_level.label.lower())
                ),
                st.body,
            )
        )
    if result.overall is None:
        content.append(Paragraph(texts.NO_SCORE, st.body))
    content.append(Paragraph(para(counts_sentence(result)), st.muted))
    return _box(content, background=LIGHT, bar=colour, padding=12)


def outcome_label(ctx: Context) -> str:
    """Return the outcome's label: the red-flag outcome or the level ("Geen uitkomst")."""
    outcome = ctx.result.outcome
    return outcome.label if outcome else "Geen uitkomst"


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
    A trigger that is a good answer (the best of a scored question) or a context answer (an
    unscored question that only decides which questions show, like "Verhuurt u?") is left out.
    """
    order = {question.id: i for i, question in enumerate(ctx.q.questions)}
    context = _context_questions(ctx.q)
    answers = ctx.answers or {}
    found: dict[str, tuple[str, str]] = {}
    for item in advice:
        for trigger in item.triggers:
            question = ctx.q.question(trigger.question_id)
            if question.scored:
                value = answers.get(question.id)
                if value is not None and not _below_best(ctx.q.compiled.plans[question.id], value):
                    continue
            elif question.id in context:
                continue
            found.setdefault(trigger.question_id, (trigger.question, trigger.answer))
    for row in ctx.answered.get(theme_id, ()):
        question, value = row.question, row.value
        if value is None or not question.scored or question.id in found:
            continue
        if _below_best(ctx.q.compiled.plans[question.id], value):
            found[question.id] = (question.text, row.label)
    return [found[k] for k in sorted(found, key=lambda k: order.get(k, len(order)))]


def _context_questions(q: Questionnaire) -> set[str]:
    """Return the unscored questions other questions' show_if reads: context, not a risk."""
    read = set().union(*(expr.symbols for expr in q.compiled.show_if.values()))
    return {question_id for question_id in read if not q.question(question_id).scored}


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
    plan = ctx.plan or {}
    last = "Stand" if plan else "Klaar"
    head = [Paragraph(h, st.cell_head) for h in ("Nr", "Maatregel", "Wie", "Wanneer", last)]
    rows: list[list] = [head]
    for index, item in enumerate(result.advice, start=1):
        detail = f"{para(titles.get(item.theme, ''))} \u00b7 {PRIORITY_LABELS[item.priority]}"
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
    start = len(result.advice) + 1
    for index in range(start, start + texts.ACTION_PLAN_EMPTY_ROWS):
        rows.append([Paragraph(str(index), st.cell), "", "", "", CheckBox()])
    widths = [0.9 * cm, 8.1 * cm, 3.3 * cm, 2.8 * cm, 2.6 * cm if plan else 1.5 * cm]
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
    block = [
        _heading("Actieplan", st.h1, 0),
        Paragraph(texts.ACTION_PLAN_INTRO, st.lead),
        Spacer(1, 4),
        table,
    ]
    # The whole plan where the themes end when it fits on one page; a longer plan starts on a
    # page of its own and runs on (never a page with only the themes' last lines, or blank).
    if _height(block) <= BODY_HEIGHT - 1 * cm:
        return [Spacer(1, 12), KeepTogether(block)]
    return [PageBreakIfNotEmpty(), *block]


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
    for situation, ref_id, name, number_ in texts.WHO_TO_CALL:
        ref = _referral(ctx, ref_id)
        if ref is not None:
            name, number_ = para(ref.name), para(ref.phone or number_)
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
        CONTACT_TABLE_STYLE,
        repeat=1,
    )
    story: list[Flowable] = [
        CondPageBreak(14 * cm),
        Spacer(1, 12),
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
                _heading("Hoe werkt deze scan?", st.h1, 0),
                Paragraph(texts.HOW_INTRO, st.lead),
                *_bullets([p.format(label=flag) for p in texts.HOW_POINTS], st),
            ]
        ),
        Spacer(1, 6),
        KeepTogether([Paragraph(texts.HOW_LEVELS, st.label), levels]),
        Spacer(1, 14),
        KeepTogether(
            [
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
        ),
    ]
