"""A questionnaire on paper: every question, its options as boxes, and when it is asked.

For a kitchen-table visit (issue 25): the adviser prints it, the entrepreneur ticks boxes.
Every question is on paper, also the ones the scan shows only after a certain answer; those
say when in words ("Alleen als het antwoord op vraag 1 ‘Ja’ is."), read from rule-engine's
syntax tree of the `show_if` text. A condition these words do not cover reads as a plain
sentence, never as code. No scores: the paper only asks. No Flask, no database: the words
come in the page's language through presentation's Words seam (Dutch: as written here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import rule_engine
from rule_engine import ast as re_ast

from scan.presentation import DUTCH, MODEL_WORDS, Words
from scan.questionnaire import Question, Questionnaire
from scan.questionnaire.kinds import LIST, Number, Scale, Text, choices_of, kind_of
from scan.questionnaire.model import Theme
from scan.questionnaire.values import SPECIAL_ANSWERS


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, later"
    """Return the text: marks it for `make translations`; translated where it is used."""
    return text


GENERAL = N_("Alleen als uw eerdere antwoorden daarom vragen.")
COMPARE = {
    "gt": N_("meer dan {figure}"),
    "ge": N_("{figure} of meer"),
    "lt": N_("minder dan {figure}"),
    "le": N_("{figure} of minder"),
}


@dataclass(frozen=True)
class PaperQuestion:
    """One question as printed: its number, boxes to tick, and when it is asked."""

    number: int
    question: Question
    boxes: tuple[str, ...]  # what can be ticked; empty for a number or text written in
    several: bool  # more than one box may be ticked
    write_in: str | None  # "number" or "text": the answer is written on a line
    condition: str | None


@dataclass(frozen=True)
class PaperTheme:
    """One theme as printed, with its questions in the scan's order."""

    theme: Theme
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class _Ask:
    """What wording a condition needs: the numbers, the questions, the words of the language."""

    numbers: Mapping[str, int]
    by_id: Mapping[str, Question]
    words: Words


def paper_questionnaire(q: Questionnaire, words: Words = DUTCH) -> list[PaperTheme]:
    """Return every theme with all its questions, numbered as they are printed."""
    order = [x for theme in q.themes for x in q.questions_for(theme.id)]
    numbers = {x.id: i for i, x in enumerate(order, start=1)}
    ask = _Ask(numbers, {x.id: x for x in q.questions}, words)
    return [
        PaperTheme(theme, tuple(_paper(x, ask) for x in q.questions_for(theme.id)))
        for theme in q.themes
    ]


def _paper(x: Question, ask: _Ask):
    numbers = ask.numbers
    specials = tuple(ask.words.gettext(SPECIAL_ANSWERS[value]) for value in x.special_answers())
    condition = _condition(x.show_if, ask) if x.show_if else None
    kind = kind_of(x)
    if isinstance(kind, (Number, Text)):
        return PaperQuestion(numbers[x.id], x, specials, False, kind.value_type.word, condition)
    if isinstance(kind, Scale) and x.scale is not None:
        low, high = x.scale.min, x.scale.max
        steps = [str(n) for n in range(low, high + 1)]
        steps[0] += f" ({x.scale.min_label})"
        steps[-1] += f" ({x.scale.max_label})"
        return PaperQuestion(numbers[x.id], x, (*steps, *specials), False, None, condition)
    labels = tuple(_option_label(option.label, ask) for option in choices_of(x))
    several = kind.value_type is LIST
    return PaperQuestion(numbers[x.id], x, (*labels, *specials), several, None, condition)


class _Unworded(Exception):
    """A part of a condition the words here do not cover."""


def condition_in_words(
    text: str,
    numbers: Mapping[str, int],
    by_id: Mapping[str, Question],
    words: Words = DUTCH,
) -> str:
    """Return a show_if condition as a sentence: "Alleen als ..." (in the words' language)."""
    return _condition(text, _Ask(numbers, by_id, words))


def _condition(text: str, ask: _Ask) -> str:
    try:
        node = rule_engine.Rule(text).statement.expression
        return ask.words.gettext("Alleen als {condition}.").format(condition=_words(node, ask))
    except (_Unworded, rule_engine.RuleSyntaxError, KeyError):
        return ask.words.gettext(GENERAL)


def _words(node, ask: _Ask) -> str:
    if isinstance(node, re_ast.LogicExpression):
        ticked = _ticked_any(node, ask)
        if ticked:
            return ticked
        joiner = ask.words.gettext(" en ") if node.type == "and" else ask.words.gettext(" of ")
        parts = []
        for side in (node.left, node.right):
            words = _words(side, ask)
            mixed = (
                isinstance(side, re_ast.LogicExpression)
                and side.type != node.type
                and not _ticked_any(side, ask)
            )
            parts.append(f"({words})" if mixed else words)
        return joiner.join(parts)
    if isinstance(node, re_ast.ArithmeticComparisonExpression):  # a ComparisonExpression too
        symbol, literal = _symbol_and_literal(node)
        if not isinstance(literal, re_ast.FloatExpression) or node.type not in COMPARE:
            raise _Unworded
        figure = ask.words.gettext(COMPARE[node.type]).format(figure=_figure(literal.value))
        return ask.words.gettext("het antwoord op vraag {number} {figure} is").format(
            number=ask.numbers[symbol.name], figure=figure
        )
    if isinstance(node, re_ast.ComparisonExpression):
        return _compared(node, ask)
    if isinstance(node, re_ast.ContainsExpression):
        return _contains(node, ask)
    raise _Unworded


def _figure(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _symbol_and_literal(node):
    left, right = node.left, node.right
    if isinstance(right, re_ast.SymbolExpression):
        left, right = right, left
    if not isinstance(left, re_ast.SymbolExpression) or isinstance(right, re_ast.SymbolExpression):
        raise _Unworded
    return left, right


def _label(question: Question, literal, ask: _Ask) -> str:
    if not isinstance(literal, re_ast.StringExpression):
        if isinstance(literal, re_ast.FloatExpression):
            return _figure(literal.value)
        raise _Unworded
    labels = {option.value: _option_label(option.label, ask) for option in choices_of(question)}
    special = SPECIAL_ANSWERS.get(literal.value)
    label = labels.get(literal.value) or (ask.words.gettext(special) if special else literal.value)
    return f"‘{label}’"


def _option_label(label: str, ask: _Ask) -> str:
    """An option's label: the author's as is, the model's own (Ja, Nee) in the page's words."""
    return ask.words.gettext(label) if label in MODEL_WORDS else label


def _compared(node, ask: _Ask) -> str:
    symbol, literal = _symbol_and_literal(node)
    number = ask.numbers[symbol.name]
    if node.type not in ("eq", "ne"):
        raise _Unworded
    if isinstance(literal, re_ast.NullExpression):
        if node.type == "eq":
            return ask.words.gettext("vraag {number} niet beantwoord is").format(number=number)
        return ask.words.gettext("vraag {number} beantwoord is").format(number=number)
    label = _label(ask.by_id[symbol.name], literal, ask)
    if node.type == "eq":
        said = ask.words.gettext("het antwoord op vraag {number} {label} is")
    else:
        said = ask.words.gettext("het antwoord op vraag {number} niet {label} is")
    return said.format(number=number, label=label)


def _contains(node, ask: _Ask) -> str:
    member, container = node.member, node.container
    if isinstance(member, re_ast.SymbolExpression) and isinstance(
        container, re_ast.ArrayExpression
    ):
        question = ask.by_id[member.name]
        labels = _either([_label(question, item, ask) for item in container.value], ask)
        return ask.words.gettext("het antwoord op vraag {number} {label} is").format(
            number=ask.numbers[member.name], label=labels
        )
    if isinstance(container, re_ast.SymbolExpression) and isinstance(
        member, re_ast.StringExpression
    ):
        label = _label(ask.by_id[container.name], member, ask)
        return _ticked(ask.numbers[container.name], label, ask)
    raise _Unworded


def _ticked(number: int, label: str, ask: _Ask) -> str:
    return ask.words.gettext("bij vraag {number} {label} is aangekruist").format(
        number=number, label=label
    )


def _ticked_any(node, ask: _Ask) -> str | None:
    """Word an or-chain of boxes ticked at one question as one phrase, else return None."""
    leaves = []

    def flatten(part) -> None:
        if isinstance(part, re_ast.LogicExpression) and part.type == "or":
            flatten(part.left)
            flatten(part.right)
        else:
            leaves.append(part)

    flatten(node)
    if node.type != "or" or not all(
        isinstance(leaf, re_ast.ContainsExpression)
        and isinstance(leaf.container, re_ast.SymbolExpression)
        and isinstance(leaf.member, re_ast.StringExpression)
        for leaf in leaves
    ):
        return None
    names = {leaf.container.name for leaf in leaves}
    if len(names) != 1:
        return None
    name = names.pop()
    labels = _either([_label(ask.by_id[name], leaf.member, ask) for leaf in leaves], ask)
    return _ticked(ask.numbers[name], labels, ask)


def _either(labels: list[str], ask: _Ask) -> str:
    """Return labels joined the Dutch way: ‘a’, ‘b’ of ‘c’."""
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + ask.words.gettext(" of ") + labels[-1]
