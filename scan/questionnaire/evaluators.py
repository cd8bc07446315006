"""Compiled conditions as plain Python closures: what show_if and rule conditions run as.

rule-engine parses and type-checks an expression once (expressions.py); its syntax tree is then
turned into nested closures here, which evaluate an answer set without rule-engine's overhead.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from rule_engine import ast as re_ast

from scan.questionnaire.errors import ExpressionError

Evaluator = Callable[[Mapping[str, Any]], Any]
_ORDER = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


def to_evaluator(node: Any) -> Evaluator:
    """Build the evaluator of one syntax-tree node (None stands for 'unknown')."""
    if isinstance(node, re_ast.SymbolExpression):
        name = node.name
        return lambda values: values.get(name)
    if isinstance(node, re_ast.StringExpression | re_ast.BooleanExpression):
        value = node.value
        return lambda values: value
    if isinstance(node, re_ast.FloatExpression):
        number = float(node.value)
        return lambda values: number
    if isinstance(node, re_ast.NullExpression):
        return lambda values: None
    if isinstance(node, re_ast.ArrayExpression):
        if all(isinstance(item, _LITERALS) for item in node.value):
            constant = tuple(_literal(item) for item in node.value)
            return lambda values: constant
        items = [to_evaluator(item) for item in node.value]
        return lambda values: [item(values) for item in items]
    if isinstance(node, re_ast.LogicExpression):
        return _logic(node.type, to_evaluator(node.left), to_evaluator(node.right))
    if isinstance(node, re_ast.UnaryExpression) and node.type == "not":
        right = to_evaluator(node.right)

        def negate(values):
            value = right(values)
            return None if value is None else not value

        return negate
    if isinstance(node, re_ast.ComparisonExpression) and not isinstance(
        node, re_ast.ArithmeticComparisonExpression | re_ast.FuzzyComparisonExpression
    ):
        return _equality(node, to_evaluator(node.left), to_evaluator(node.right))
    if isinstance(node, re_ast.ArithmeticComparisonExpression):
        return _ordering(node, to_evaluator(node.left), to_evaluator(node.right))
    if isinstance(node, re_ast.ContainsExpression):
        return _contains(node, to_evaluator(node.container), to_evaluator(node.member))
    feature = UNSUPPORTED.get(
        type(node).__name__, f"'{type(node).__name__.removesuffix('Expression').lower()}'"
    )
    name = type(node).__name__
    if name in INSTEAD:
        raise ExpressionError(
            f"expressions cannot use {feature}: it is not part of the expression language",
            INSTEAD[name],
        )
    raise ExpressionError(
        f"expressions cannot use {feature}",
        "use comparisons (== != < <= > >=), 'in', and, or, not, and parentheses",
    )


# What to write instead of the features authors reach for most.
_LITERALS = (re_ast.StringExpression, re_ast.FloatExpression, re_ast.BooleanExpression)


def _literal(node: Any) -> Any:
    return float(node.value) if isinstance(node, re_ast.FloatExpression) else node.value


def _logic(kind: str, left: Evaluator, right: Evaluator) -> Evaluator:
    """Kleene and/or: unknown only where the known operand does not decide."""
    if kind == "and":

        def both(values):
            a = left(values)
            if a is False:
                return False
            b = right(values)
            if b is False:
                return False
            return None if a is None or b is None else bool(a and b)

        return both

    def either(values):
        a = left(values)
        if a is True:
            return True
        b = right(values)
        if b is True:
            return True
        return None if a is None or b is None else bool(a or b)

    return either


def _fixed(node: Any) -> tuple[bool, Any]:
    """Return (True, value) for a literal that is not null: text, number, true/false or a list."""
    if isinstance(node, _LITERALS):
        return True, _literal(node)
    if isinstance(node, re_ast.ArrayExpression) and all(
        isinstance(item, _LITERALS) for item in node.value
    ):
        return True, tuple(_literal(item) for item in node.value)
    return False, None


def _question_and_value(first: Any, second: Any) -> tuple[str, Any, bool] | None:
    """Return (question id, fixed value, question first) when one side is each; else None.

    Most conditions compare one answer with a fixed value; their evaluator is then one
    function instead of three, with the same three-valued result.
    """
    for symbol, other, symbol_first in ((first, second, True), (second, first, False)):
        if isinstance(symbol, re_ast.SymbolExpression):
            fixed, value = _fixed(other)
            if fixed:
                return symbol.name, value, symbol_first
    return None


def _equality(node: Any, left: Evaluator, right: Evaluator) -> Evaluator:
    """== and !=: a comparison with null literal is known, otherwise null makes it unknown."""
    negate = node.type == "ne"
    explicit_null = isinstance(node.left, re_ast.NullExpression) or isinstance(
        node.right, re_ast.NullExpression
    )
    simple = _question_and_value(node.left, node.right)
    if simple is not None:
        name, fixed, _ = simple

        def answer_is(values):
            a = values.get(name)
            return None if a is None else (a != fixed) if negate else (a == fixed)

        return answer_is

    def compare(values):
        a, b = left(values), right(values)
        if (a is None or b is None) and not explicit_null:
            return None
        return (a != b) if negate else (a == b)

    return compare


def _ordering(node: Any, left: Evaluator, right: Evaluator) -> Evaluator:
    """< <= > >=: null makes the comparison unknown."""
    op = _ORDER[node.type]
    simple = _question_and_value(node.left, node.right)
    if simple is not None:
        name, fixed, answer_first = simple

        def answer_against(values):
            a = values.get(name)
            return None if a is None else op(a, fixed) if answer_first else op(fixed, a)

        return answer_against

    def compare(values):
        a, b = left(values), right(values)
        if a is None or b is None:
            return None
        return op(a, b)

    return compare


def _contains(node: Any, container: Evaluator, member: Evaluator) -> Evaluator:
    """x in y: null on either side makes it unknown."""
    simple = _question_and_value(node.container, node.member)
    if simple is not None:
        name, fixed, answer_is_container = simple
        if answer_is_container:

            def answer_holds(values):
                c = values.get(name)
                return None if c is None else fixed in c

            return answer_holds

        def answer_among(values):
            m = values.get(name)
            return None if m is None else m in fixed

        return answer_among

    def contains(values):
        c, m = container(values), member(values)
        if c is None or m is None:
            return None
        return m in c

    return contains


_ARITHMETIC = (
    "use comparisons on the answer itself: write mensen > 2, not mensen + 1 > 3; "
    "to combine questions, use and/or"
)

INSTEAD = {
    "AddExpression": _ARITHMETIC,
    "SubtractExpression": _ARITHMETIC,
    "ArithmeticExpression": _ARITHMETIC,
    "GetAttributeExpression": "use comparisons on the answer itself, e.g. vraag == 'ja'; "
    "for a multiple-choice question, 'optie' in vraag",
}

UNSUPPORTED = {
    "AddExpression": "arithmetic (+ -)",
    "SubtractExpression": "arithmetic (+ -)",
    "ArithmeticExpression": "arithmetic (* / % **)",
    "BitwiseExpression": "bitwise operators (& | ^)",
    "BitwiseShiftExpression": "bitwise operators (<< >>)",
    "FuzzyComparisonExpression": "regular expressions (=~ !~)",
    "FunctionCallExpression": "a function call",
    "GetAttributeExpression": "an attribute (x.y)",
    "GetItemExpression": "indexing (x[0])",
    "GetSliceExpression": "slicing (x[0:2])",
    "TernaryExpression": "if-then-else (? :)",
    "ComprehensionExpression": "a list comprehension",
    "UnaryExpression": "a minus sign before a question",
}
