"""A questionnaire on paper: every question, its options as boxes, and when it is asked.

For a kitchen-table visit (issue 25): the adviser prints it, the entrepreneur ticks boxes.
Every question is on paper, also the ones the scan shows only after a certain answer; those
say when in words ("Alleen als het antwoord op vraag 1 ‘Ja’ is."), read from rule-engine's
syntax tree of the `show_if` text. A condition these words do not cover reads as a plain
sentence, never as code. No scores: the paper only asks. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import rule_engine
from rule_engine import ast as re_ast

from scan.questionnaire import Question, Questionnaire
from scan.questionnaire.kinds import LIST, Number, Scale, Text, choices_of, kind_of
from scan.questionnaire.model import Theme
from scan.questionnaire.values import SPECIAL_ANSWERS

GENERAL = "Alleen als uw eerdere antwoorden daarom vragen."
COMPARE = {"gt": "meer dan {}", "ge": "{} of meer", "lt": "minder dan {}", "le": "{} of minder"}


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


def paper_questionnaire(q: Questionnaire) -> list[PaperTheme]:
    """Return every theme with all its questions, numbered as they are printed."""
    order = [x for theme in q.themes for x in q.questions_for(theme.id)]
    numbers = {x.id: i for i, x in enumerate(order, start=1)}
    by_id = {x.id: x for x in q.questions}
    return [
        PaperTheme(theme, tuple(_paper(x, numbers, by_id) for x in q.questions_for(theme.id)))
        for theme in q.themes
    ]


def _paper(x: Question, numbers: Mapping[str, int], by_id: Mapping[str, Question]):
    specials = tuple(SPECIAL_ANSWERS[value] for value in x.special_answers())
    condition = condition_in_words(x.show_if, numbers, by_id) if x.show_if else None
    kind = kind_of(x)
    if isinstance(kind, (Number, Text)):
        return PaperQuestion(numbers[x.id], x, specials, False, kind.value_type.word, condition)
    if isinstance(kind, Scale) and x.scale is not None:
        low, high = x.scale.min, x.scale.max
        steps = [str(n) for n in range(low, high + 1)]
        steps[0] += f" ({x.scale.min_label})"
        steps[-1] += f" ({x.scale.max_label})"
        return PaperQuestion(numbers[x.id], x, (*steps, *specials), False, None, condition)
    labels = tuple(option.label for option in choices_of(x))
    several = kind.value_type is LIST
    return PaperQuestion(numbers[x.id], x, (*labels, *specials), several, None, condition)


class _Unworded(Exception):
    """A part of a condition the words here do not cover."""


def condition_in_words(text: str, numbers: Mapping[str, int], by_id: Mapping[str, Question]) -> str:
    """Return a show_if condition as a Dutch sentence: "Alleen als ..."."""
    try:
        node = rule_engine.Rule(text).statement.expression
        return f"Alleen als {_words(node, numbers, by_id)}."
    except (_Unworded, rule_engine.RuleSyntaxError, KeyError):
        return GENERAL


def _words(node, numbers, by_id) -> str:
    if isinstance(node, re_ast.LogicExpression):
        ticked = _ticked_any(node, numbers, by_id)
        if ticked:
            return ticked
        joiner = " en " if node.type == "and" else " of "
        parts = []
        for side in (node.left, node.right):
            words = _words(side, numbers, by_id)
            mixed = (
                isinstance(side, re_ast.LogicExpression)
                and side.type != node.type
                and not _ticked_any(side, numbers, by_id)
            )
            parts.append(f"({words})" if mixed else words)
        return joiner.join(parts)
    if isinstance(node, re_ast.ArithmeticComparisonExpression):  # a ComparisonExpression too
        symbol, literal = _symbol_and_literal(node)
        if not isinstance(literal, re_ast.FloatExpression) or node.type not in COMPARE:
            raise _Unworded
        figure = COMPARE[node.type].format(f"{literal.value:g}".replace(".", ","))
        return f"het antwoord op vraag {numbers[symbol.name]} {figure} is"
    if isinstance(node, re_ast.ComparisonExpression):
        return _compared(node, numbers, by_id)
    if isinstance(node, re_ast.ContainsExpression):
        return _contains(node, numbers, by_id)
    raise _Unworded


def _symbol_and_literal(node):
    left, right = node.left, node.right
    if isinstance(right, re_ast.SymbolExpression):
        left, right = right, left
    if not isinstance(left, re_ast.SymbolExpression) or isinstance(right, re_ast.SymbolExpression):
        raise _Unworded
    return left, right


def _label(question: Question, literal) -> str:
    if not isinstance(literal, re_ast.StringExpression):
        if isinstance(literal, re_ast.FloatExpression):
            return f"{literal.value:g}".replace(".", ",")
        raise _Unworded
    labels = {option.value: option.label for option in choices_of(question)}
    return f"‘{labels.get(literal.value, SPECIAL_ANSWERS.get(literal.value, literal.value))}’"


def _compared(node, numbers, by_id) -> str:
    symbol, literal = _symbol_and_literal(node)
    number = numbers[symbol.name]
    if node.type not in ("eq", "ne"):
        raise _Unworded
    if isinstance(literal, re_ast.NullExpression):
        return f"vraag {number} {'niet ' if node.type == 'eq' else ''}beantwoord is"
    label = _label(by_id[symbol.name], literal)
    return f"het antwoord op vraag {number} {'' if node.type == 'eq' else 'niet '}{label} is"


def _contains(node, numbers, by_id) -> str:
    member, container = node.member, node.container
    if isinstance(member, re_ast.SymbolExpression) and isinstance(
        container, re_ast.ArrayExpression
    ):
        question = by_id[member.name]
        labels = _either([_label(question, item) for item in container.value])
        return f"het antwoord op vraag {numbers[member.name]} {labels} is"
    if isinstance(container, re_ast.SymbolExpression) and isinstance(
        member, re_ast.StringExpression
    ):
        label = _label(by_id[container.name], member)
        return f"bij vraag {numbers[container.name]} {label} is aangekruist"
    raise _Unworded


def _ticked_any(node, numbers, by_id) -> str | None:
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
    labels = _either([_label(by_id[name], leaf.member) for leaf in leaves])
    return f"bij vraag {numbers[name]} {labels} is aangekruist"


def _either(labels: list[str]) -> str:
    """Return labels joined the Dutch way: ‘a’, ‘b’ of ‘c’."""
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " of " + labels[-1]
