"""Safe expressions over answers: parsed, type-checked and compiled once with rule-engine."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rule_engine
from rule_engine import ast as re_ast

from scan.questionnaire.errors import ExpressionError, did_you_mean
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
            f"expressions cannot use {_UNSUPPORTED['GetAttributeExpression']}: "
            "it is not part of the expression language",
            _INSTEAD["GetAttributeExpression"],
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
    evaluate = _closure(rule.statement.expression)
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


Evaluator = Callable[[Mapping[str, Any]], Any]
_ORDER = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


def _closure(node: Any) -> Evaluator:
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
        items = [_closure(item) for item in node.value]
        return lambda values: [item(values) for item in items]
    if isinstance(node, re_ast.LogicExpression):
        return _logic(node.type, _closure(node.left), _closure(node.right))
    if isinstance(node, re_ast.UnaryExpression) and node.type == "not":
        right = _closure(node.right)

        def negate(values):
            value = right(values)
            return None if value is None else not value

        return negate
    if isinstance(node, re_ast.ComparisonExpression) and not isinstance(
        node, re_ast.ArithmeticComparisonExpression | re_ast.FuzzyComparisonExpression
    ):
        return _equality(node, _closure(node.left), _closure(node.right))
    if isinstance(node, re_ast.ArithmeticComparisonExpression):
        return _ordering(node, _closure(node.left), _closure(node.right))
    if isinstance(node, re_ast.ContainsExpression):
        return _contains(node, _closure(node.container), _closure(node.member))
    feature = _UNSUPPORTED.get(
        type(node).__name__, f"'{type(node).__name__.removesuffix('Expression').lower()}'"
    )
    name = type(node).__name__
    if name in _INSTEAD:
        raise ExpressionError(
            f"expressions cannot use {feature}: it is not part of the expression language",
            _INSTEAD[name],
        )
    raise ExpressionError(
        f"expressions cannot use {feature}",
        "use comparisons (== != < <= > >=), 'in', and, or, not, and parentheses",
    )


# What to write instead of the features authors reach for most.
_ARITHMETIC = (
    "use comparisons on the answer itself: write mensen > 2, not mensen + 1 > 3; "
    "to combine questions, use and/or"
)
_INSTEAD = {
    "AddExpression": _ARITHMETIC,
    "SubtractExpression": _ARITHMETIC,
    "ArithmeticExpression": _ARITHMETIC,
    "GetAttributeExpression": "use comparisons on the answer itself, e.g. vraag == 'ja'; "
    "for a multiple-choice question, 'optie' in vraag",
}


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


_UNSUPPORTED = {
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
