"""Safe expressions over answers: parsed, type-checked and compiled once with rule-engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rule_engine
from rule_engine import ast as re_ast

from scan.questionnaire.errors import ExpressionError, did_you_mean
from scan.questionnaire.evaluators import INSTEAD, UNSUPPORTED, to_evaluator
from scan.questionnaire.kinds import LIST, NUMBER, TEXT, TRUE_FALSE, choices_of, kind_of
from scan.questionnaire.model import Question
from scan.questionnaire.values import NOT_APPLICABLE, UNKNOWN

KEYWORDS = frozenset(rule_engine.parser.Parser.reserved_words)


def make_context(questions: list[Question]) -> rule_engine.Context:
    """Return a rule-engine context whose symbols are the question ids with their types."""
    types = {q.id: kind_of(q).value_type.data_type for q in questions}
    return rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict(types),
        default_value=None,
    )


@dataclass(slots=True, eq=False, repr=False)
class Expression:
    """A compiled expression: its text, the questions it reads, and its evaluator.

    rule-engine parses and type-checks the text; evaluation runs a closure tree built from
    rule-engine's syntax tree, with three-valued logic: a comparison that involves an
    unanswered question is unknown, `not unknown` stays unknown, `true or unknown` is true,
    and an expression that ends unknown is false. So a rule never fires on a skipped answer
    unless it asks for that explicitly (`vraag == null`).
    """

    text: str
    evaluate: Callable[[Mapping[str, Any]], Any]  # True, False, or None for unknown
    symbols: frozenset[str]

    def __call__(self, values: Mapping[str, Any]) -> bool:
        """Evaluate against expression values (question id -> value or None)."""
        return self.evaluate(values) is True

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"


def compile_expression(
    text: str, context: rule_engine.Context, questions: Mapping[str, Question]
) -> Expression:
    """Parse and type-check an expression; raise ExpressionError with a hint when it is wrong."""
    try:
        rule = rule_engine.Rule(text, context=context)
    except rule_engine.SymbolResolutionError as exc:
        hint = did_you_mean(exc.symbol_name, questions) or "use the id of a question"
        raise ExpressionError(
            f"unknown question '{exc.symbol_name}' in expression", hint, exc.symbol_name
        ) from None
    except rule_engine.RuleSyntaxError as exc:
        unbalanced = _unbalanced(text)
        if unbalanced:
            raise ExpressionError(*unbalanced) from None
        where = ""
        token = getattr(exc, "token", None)
        if token is not None and getattr(token, "value", None) is not None:
            where = f" near {token.value!r}"
        raise ExpressionError(
            f"syntax error in expression{where}",
            "write e.g. vraag == 'ja', 'optie' in lijst, getal >= 3, combined with and/or/not",
        ) from None
    except rule_engine.AttributeResolutionError:
        raise ExpressionError(
            f"expressions cannot use {UNSUPPORTED['GetAttributeExpression']}: "
            "it is not part of the expression language",
            INSTEAD["GetAttributeExpression"],
        ) from None
    except rule_engine.EvaluationError as exc:
        raise ExpressionError(
            f"expression does not fit the question types: {exc.message}",
            "compare choice questions with text in quotes and numbers without quotes",
        ) from None
    except rule_engine.EngineError as exc:
        raise ExpressionError(f"invalid expression: {exc.message}") from None
    nodes = list(_walk(rule.statement))
    symbols = frozenset(n.name for n in nodes if isinstance(n, re_ast.SymbolExpression))
    if not isinstance(rule.statement.expression, _BOOLEAN_RESULTS):
        result_type = rule.statement.expression.result_type
        if result_type not in (rule_engine.DataType.BOOLEAN, rule_engine.DataType.UNDEFINED):
            raise ExpressionError(
                "expression must be a condition (true or false)",
                "compare the answer with a value, e.g. vraag == 'ja'",
            )
    # Build the evaluator first: an unsupported feature is the clearest message.
    evaluate = to_evaluator(rule.statement.expression)
    for node in nodes:
        _check_literals(node, questions)
    return Expression(text, evaluate, symbols)


_BOOLEAN_RESULTS = (
    re_ast.ComparisonExpression,
    re_ast.ArithmeticComparisonExpression,
    re_ast.ContainsExpression,
    re_ast.LogicExpression,
    re_ast.FuzzyComparisonExpression,
)


def _walk(node: Any) -> Iterator[Any]:
    """Yield every AST node below (and including) node."""
    yield node
    names = _attribute_names(type(node), tuple(getattr(node, "__dict__", ())))
    for value in (getattr(node, name, None) for name in names):
        if isinstance(value, re_ast.ExpressionBase | re_ast.Statement):
            yield from _walk(value)
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, re_ast.ExpressionBase):
                    yield from _walk(item)


@lru_cache(maxsize=512)
def _attribute_names(cls: type, own: tuple[str, ...]) -> tuple[str, ...]:
    """Return the attributes _walk reads on a node, sorted: its own and its classes' slots.

    The same for every node of a class with the same own attributes, so worked out once.
    """
    names = set(own)
    for klass in cls.__mro__:
        names.update(getattr(klass, "__slots__", ()))
    names.discard("context")
    return tuple(sorted(names))


_LITERAL_TYPES = (
    (re_ast.StringExpression, TEXT),
    (re_ast.FloatExpression, NUMBER),
    (re_ast.BooleanExpression, TRUE_FALSE),
    (re_ast.ArrayExpression, LIST),
)


def _check_literals(node: Any, questions: Mapping[str, Question]) -> None:
    """Check that literals compared with a question fit its type and, for choices, exist."""
    pairs: list[tuple[Any, Any]] = []
    if isinstance(node, re_ast.ComparisonExpression):
        pairs = [(node.left, node.right), (node.right, node.left)]
    elif isinstance(node, re_ast.ContainsExpression):
        member, container = node.member, node.container
        pairs = [(container, member)]
        if isinstance(container, re_ast.ArrayExpression):
            pairs = [(member, item) for item in container.value]
    for symbol, literal in pairs:
        if not isinstance(symbol, re_ast.SymbolExpression) or symbol.name not in questions:
            continue
        question = questions[symbol.name]
        _check_kind(node, symbol, question, literal)
        if not kind_of(question).has_options:
            continue
        allowed = [o.value for o in choices_of(question)] + [UNKNOWN, NOT_APPLICABLE]
        allowed = list(dict.fromkeys(allowed))
        if isinstance(literal, re_ast.StringExpression):
            if literal.value not in allowed:
                hint = did_you_mean(literal.value, allowed) or "options: " + ", ".join(allowed)
                raise ExpressionError(
                    f"'{literal.value}' is not an option of question '{question.id}'", hint
                )
        elif isinstance(literal, re_ast.FloatExpression | re_ast.BooleanExpression):
            raise ExpressionError(
                f"question '{question.id}' is answered with text, not a number or true/false",
                f"write the option value in quotes, e.g. {question.id} == '{allowed[0]}'",
            )


def _check_kind(node: Any, symbol: Any, question: Question, literal: Any) -> None:
    """Refuse comparing an answer with a literal of another type (it would never be true)."""
    kind = kind_of(question).value_type
    literal_kind = next((k for cls, k in _LITERAL_TYPES if isinstance(literal, cls)), None)
    name = question.id
    if isinstance(node, re_ast.ContainsExpression) and node.container is symbol:
        if kind is TEXT:
            raise ExpressionError(
                f"question '{name}' has one answer, not a list, so 'in' cannot look inside it",
                f"write {name} == 'value', or {name} in ['a', 'b'] for one of several",
            )
        return
    if literal_kind is None or literal_kind is kind:
        return
    if literal_kind is LIST and isinstance(node, re_ast.ContainsExpression):
        return
    if kind is LIST:
        raise ExpressionError(
            f"question '{name}' is answered with a list of options, not {literal_kind.word}",
            f"test one option with 'value' in {name}",
        )
    if kind is NUMBER:
        raise ExpressionError(
            f"question '{name}' is answered with a number, not {literal_kind.word}",
            f"write a number without quotes, e.g. {name} >= 3",
        )
    # Choice questions get a sharper message that names their options (_check_literals).
    if kind is TEXT and literal_kind is not TEXT and not kind_of(question).has_options:
        raise ExpressionError(
            f"question '{name}' is answered with text, not {literal_kind.word}",
            f"write text in quotes, e.g. {name} == 'tekst'",
        )


_OPENERS = {"(": ")", "[": "]"}


def _unbalanced(text: str) -> tuple[str, str] | None:
    """Return (message, hint) for an unclosed quote, parenthesis or bracket, else None."""
    stack: list[tuple[str, int]] = []
    quote: tuple[str, int] | None = None
    for column, char in enumerate(text, start=1):
        if quote:
            if char == quote[0]:
                quote = None
        elif char in "'\"":
            quote = (char, column)
        elif char in _OPENERS:
            stack.append((char, column))
        elif char in ")]":
            if not stack or _OPENERS[stack[-1][0]] != char:
                opener = "(" if char == ")" else "["
                return (
                    f"syntax error in expression: '{char}' at character {column} "
                    f"has no '{opener}' before it",
                    f"remove it, or add '{opener}' where the group starts",
                )
            stack.pop()
    if quote:
        return (
            f"syntax error in expression: the text in quotes at character {quote[1]} is not closed",
            f"add the closing {quote[0]}",
        )
    if stack:
        char, column = stack[-1]
        missing = "".join(_OPENERS[c] for c, _ in reversed(stack))
        return (
            f"syntax error in expression: '{char}' at character {column} is not closed",
            f"add {missing!r} at the end of the group",
        )
    return None
