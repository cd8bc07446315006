"""The report's part per theme: score, what needs attention and the advice."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)

from scan.presentation import (
    score_figure,
)
from scan.questionnaire.kinds import is_scored
from scan.questionnaire.plan import QuestionPlan
from scan.questionnaire.values import NOT_APPLICABLE, UNKNOWN
from scan.report import wording as texts
from scan.report.chart import score_bar
from scan.report.document import Paragraph
from scan.report.language import _, ngettext
from scan.report.sections.blocks import (
    Context,
    box_table,
    make_heading,
    make_table,
    pair_table,
    referral_of,
    tag_for,
)
from scan.report.styles import (
    CONTENT_WIDTH,
    DANGER_LIGHT,
    LIGHT,
    MUTED,
    PRIMARY,
    PRIORITY_COLOURS,
    RULE,
    WHITE,
)
from scan.report.typesetting import number, para
from scan.report.visit import observation_block
from scan.scoring import Answer, FiredAdvice, ThemeScore

# --- themes ---------------------------------------------------------------------------------


def themes(ctx: Context) -> list[Flowable]:
    """Return one part per theme: score, answers that need attention, advice with steps."""
    st = ctx.st
    story: list[Flowable] = [
        CondPageBreak(10 * cm),
        Spacer(1, 12),
        make_heading(_("Resultaat per onderwerp"), st.h1, 0),
        Paragraph(_(texts.THEMES_INTRO), st.lead),
    ]
    for index, theme in enumerate(ctx.result.themes, start=1):
        story += _theme(ctx, index, theme)
    return story


def _theme(ctx: Context, index: int, theme: ThemeScore) -> list[Flowable]:
    """Return one theme's part."""
    st = ctx.st
    story: list[Flowable] = [CondPageBreak(9 * cm), Spacer(1, 10)]
    title = make_heading(f"{index}. {theme.title}", st.h2, 1)
    title.outline = (f"{index}. {' '.join(theme.title.split())}", 1)
    if theme.score is None:
        line = _("<b>Geen score</b>")
    else:
        line = (
            _("Score <b>{score}</b> van de 100").format(score=score_figure(theme.score))
            + f" \u00b7 {para(ctx.level_label(theme.score))}"
        )
    score_row = pair_table(
        Paragraph(line, st.body),
        score_bar(theme.score, ctx.q.risk_levels, 5.5 * cm),
        CONTENT_WIDTH,
        5.5 * cm,
        valign="MIDDLE",
        top=2,
        bottom=6,
        line_below=(1, PRIMARY),
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
        *observation_block(ctx.visit, theme.id, st),
    ]
    advice = [item for item in ctx.result.advice if item.theme == theme.id]
    attention = _attention(ctx, theme.id, advice)
    if attention:
        # The answers table may run on to the next page (its head row repeats there): kept
        # with the theme's header as one block it left half pages empty in a weak scan.
        # Its first rows stay with the header, so a header never ends a page on its own.
        header += [make_heading(_("Antwoorden die aandacht vragen"), st.h3)]
        story.append(KeepTogether([*header, _attention_table(ctx, attention[:2])]))
        if attention[2:]:
            story.append(_attention_table(ctx, attention[2:], head=False))
        header = []
    parts: list[list[Flowable]] = []
    cards = [item for item in advice if item.id in ctx.first_ids]
    for index_, item in enumerate(cards):
        lead = [make_heading(_("Wat kunt u doen?"), st.h3)] if index_ == 0 else []
        parts.append([*lead, _advice_block(ctx, item), Spacer(1, 6)])
    later = [item for item in advice if item.id not in ctx.first_ids]
    for index_, item in enumerate(later):
        lead = [make_heading(_(texts.LATER_TITLE), st.h3)] if index_ == 0 else []
        parts.append([*lead, *_advice_brief(ctx, item)])
    if not advice and theme.score is not None:
        parts.append([Paragraph(_(texts.THEME_NO_ADVICE), st.body)])
    # Keep the theme's header with its first part, and every heading with what follows it
    # (KeepTogether itself cannot be "kept with next", so headings go inside the groups).
    if parts:
        parts[0] = header + parts[0]
    elif header:
        parts = [header]
    if len(parts) >= 3:  # the theme's last tip never stands alone on a page
        parts[-2:] = [parts[-2] + parts[-1]]
    story += [KeepTogether(part) for part in parts]
    return story


def _theme_counts(ctx: Context, theme: ThemeScore) -> str:
    """Return what the theme's score is based on, and any cap or extra weight."""
    if theme.score is None:
        return _(texts.THEME_NO_SCORE)
    parts = [
        ngettext(
            "De score is gebaseerd op %(num)d vraag.",
            "De score is gebaseerd op %(num)d vragen.",
            theme.counted,
        )
    ]
    if theme.unknown:
        parts.append(
            _("{count} keer “Weet ik niet” of “Niet van toepassing” telt niet mee.").format(
                count=theme.unknown
            )
        )
    if theme.skipped:
        parts.append(
            ngettext("%(num)d vraag sloeg u over.", "%(num)d vragen sloeg u over.", theme.skipped)
        )
    if theme.weight != 1:
        parts.append(
            _("Dit onderwerp weegt {weight} keer mee in de totaalscore.").format(
                weight=number(theme.weight)
            )
        )
    if theme.capped_by:
        parts.append(
            _("Door een ernstig antwoord is deze score maximaal {score}.").format(
                score=score_figure(theme.score)
            )
        )
    return " ".join(parts)


def _attention(ctx: Context, theme_id: str, advice: list[FiredAdvice]) -> list[tuple[str, str]]:
    """Return (question, answer) pairs that need attention, in questionnaire order.

    These are the answers that made this theme's advice fire, plus, when the raw answers are
    known, every scored answer in the theme that is not the best one or is "Weet ik niet".
    A trigger that is a good answer (the best of a scored question) or a context answer (an
    unscored question that only decides which questions show, like "Verhuurt u?") is left out.
    """
    order, context = ctx.question_order, ctx.context_questions
    answers = ctx.answers or {}
    found: dict[str, tuple[str, str]] = {}
    for item in advice:
        for trigger in item.triggers:
            question = ctx.q.question(trigger.question_id)
            if is_scored(question):
                value = answers.get(question.id)
                if value is not None and not _below_best(ctx.q.compiled.plans[question.id], value):
                    continue
            elif question.id in context:
                continue
            found.setdefault(trigger.question_id, (trigger.question, trigger.answer))
    for row in ctx.answered.get(theme_id, ()):
        question, value = row.question, row.value
        if value is None or not is_scored(question) or question.id in found:
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


def _attention_table(ctx: Context, rows: list[tuple[str, str]], head: bool = True) -> Table:
    """Return the answers that need attention as a two-column table (head: with its head row;
    without, it continues the table above it)."""
    st = ctx.st
    data = [[Paragraph(_("Vraag"), st.cell_head), Paragraph(_("Uw antwoord"), st.cell_head)]] * head
    data += [[Paragraph(para(q), st.cell), Paragraph(para(a), st.cell_bold)] for q, a in rows]
    first = int(head)
    commands = [
        ("ROWBACKGROUNDS", (0, first), (-1, -1), [WHITE, LIGHT]),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), MUTED))
    return make_table(data, [CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38], commands, repeat=first)


def _advice_block(ctx: Context, item: FiredAdvice) -> Table:
    """Return one piece of advice: title, priority, why, concrete steps and whom to ask."""
    st = ctx.st
    colour = PRIORITY_COLOURS[item.priority]
    inner_width = CONTENT_WIDTH - 2 * 10 - 4
    head = pair_table(
        Paragraph(para(item.title), st.box_title),
        tag_for(_(texts.PRIORITIES[item.priority]), colour, st),
        inner_width,
        2.6 * cm,
        valign="TOP",
        top=0,
        bottom=2,
    )
    content: list[Flowable] = [head, Paragraph(para(item.explanation), st.body)]
    content.append(Paragraph(_("Stappen"), st.label))
    content += [
        Paragraph(para(step), st.step, bulletText=f"{n}.")
        for n, step in enumerate(item.steps, start=1)
    ]
    refs = [ref for ref in (referral_of(ctx, r) for r in item.referrals) if ref is not None]
    if refs:
        names = [
            f"{para(ref.name)} ({para(ref.phone)})"
            if ref.phone and ref.phone not in ref.name
            else para(ref.name)
            for ref in refs
        ]
        content.append(Spacer(1, 2))
        content.append(Paragraph(_("<b>Hulp hierbij:</b>") + " " + "; ".join(names), st.small))
    background = DANGER_LIGHT if item.red_flag else WHITE
    return box_table(content, background=background, bar=colour, border=RULE, padding=10)


def _advice_brief(ctx: Context, item: FiredAdvice) -> list[Flowable]:
    """Return advice for later in a line or two: the title, and for urgent or high priority
    also the step to begin with (the title of other advice says what to do)."""
    st = ctx.st
    head = f"<b>{para(item.title)}</b> \u00b7 {_(texts.PRIORITIES[item.priority])}"
    lines = [Paragraph(head, st.body)]
    if item.steps and item.priority in ("urgent", "high"):
        lines.append(Paragraph(f"{_(texts.LATER_FIRST_STEP)} {para(item.steps[0])}", st.small))
    return [*lines, Spacer(1, 3)]
