"""Cross-checks that a single-model validation cannot do, and the compiled form for scoring."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from scan.questionnaire.acute import AcuteCheck, acute_checks, mark_problems
from scan.questionnaire.errors import ExpressionError, Position, Problem, did_you_mean
from scan.questionnaire.expressions import KEYWORDS, Expression, compile_expression, make_context
from scan.questionnaire.kinds import is_scored, kind_of, question_problems
from scan.questionnaire.located import format_path, key_position, locate
from scan.questionnaire.model import Question, Questionnaire, Referral, Rule, Theme
from scan.questionnaire.plan import (
    MELD_MISDAAD_ANONIEM,
    QuestionPlan,
    RulePlan,
    ThemePlan,
    plan_question,
    plan_rule,
    plan_theme,
    prepare_answers,
)
from scan.questionnaire.safetyerrors import safety_errors


@dataclass
class Compiled:
    """Lookup tables and compiled expressions, built once when a questionnaire loads."""

    themes: dict[str, Theme]
    questions: dict[str, Question]
    show_if: dict[str, Expression]
    rules: list[tuple[Rule, Expression]]
    question_index: dict[str, int]
    plans: dict[str, QuestionPlan]  # in question order
    unanswered: dict[str, None]  # every question's expression value before any answer
    # (question id, plan, show_if, expression_value) per question in order: what scoring walks.
    walk: tuple[tuple[str, QuestionPlan, Any, Any], ...]
    theme_plans: tuple[ThemePlan, ...]  # in theme order
    rule_plans: tuple[RulePlan, ...]  # in the order their advice is shown
    registry: dict[str, Referral]
    acute: tuple[AcuteCheck, ...] = ()  # the answers that escalate by themselves


class _Reporter:
    """Collects problems, locating each by its path in the located source data."""

    def __init__(self, data: Any):
        self.data = data
        self.problems: list[Problem] = []

    def error(self, path: tuple[Any, ...], message: str, hint: str = "", key: str = "") -> None:
        self._add(path, message, hint, key, "error")

    def warning(self, path: tuple[Any, ...], message: str, hint: str = "", key: str = "") -> None:
        self._add(path, message, hint, key, "warning")

    def _add(self, path, message, hint, key, severity) -> None:
        position: Position | None
        if key:
            node = self.data
            for step in path:
                try:
                    node = node[step]
                except (KeyError, IndexError, TypeError):
                    break
            position = key_position(node, key)
            path = (*path, key)
        else:
            position = locate(self.data, path)
        self.problems.append(Problem(message, position, format_path(path), hint, severity))


def check_questionnaire(
    q: Questionnaire, data: Any, registry: dict[str, Referral], stored: bool = False
) -> tuple[Compiled | None, list[Problem]]:
    """Run every cross-check; return the compiled form when there are no errors.

    A stored snapshot (`stored`) was checked when it was published: it is rebuilt as it was,
    so rules added since (every questionnaire marks acute answers; today's referrals are in
    the registry) do not lock an entrepreneur out of an older scan.
    """
    report = _Reporter(data)
    _unique(report, "themes", [t.id for t in q.themes], "theme")
    _unique(report, "questions", [x.id for x in q.questions], "question")
    _unique(report, "rules", [r.id for r in q.rules], "rule")
    _unique(report, "risk_levels", [r.id for r in q.risk_levels], "risk level")
    theme_ids = {t.id for t in q.themes}
    # A duplicate id is reported once, above; everything else reads the first question of
    # that id, so the copy does not cascade into errors about rules that use the original.
    question_map: dict[str, Question] = {}
    for question in q.questions:
        question_map.setdefault(question.id, question)
    firsts = list(question_map.values())

    for i, question in enumerate(q.questions):
        _check_question(report, i, question, theme_ids)
    marks = list(mark_problems(q))
    for problem in marks:
        if problem.index >= 0:
            path = ("questions", problem.index, *problem.path)
            report.error(path, problem.message, problem.hint, key=problem.key)
    for i, ref in enumerate(q.referrals):
        _check_referral(report, ("referrals", i), ref, registry)
    for i, step in enumerate([] if stored else q.red_flag_outcome.today):
        for j, ref in enumerate(step.call):
            if ref == MELD_MISDAAD_ANONIEM:
                continue  # its absence is reported once, below
            path = ("red_flag_outcome", "today", i, "call", j)
            _check_referral(report, path, ref, registry)
    for i, theme in enumerate(q.themes):
        if not any(x.theme == theme.id for x in q.questions):
            report.error(
                ("themes", i),
                f"theme '{theme.id}' has no questions",
                "add questions with this theme or remove the theme",
            )
    _check_risk_levels(report, q)

    context = make_context(firsts)
    show_if: dict[str, Expression] = {}
    for i, question in enumerate(q.questions):
        if question.show_if is None:
            continue
        earlier = {x.id: x for x in q.questions[:i]}
        expr = _compile(
            report, ("questions", i, "show_if"), question.show_if, context, question_map
        )
        if expr is None:
            continue
        later = sorted(expr.symbols - set(earlier))
        if later:
            report.error(
                ("questions", i, "show_if"),
                f"show_if uses '{later[0]}', which is not an earlier question",
                "show_if may only use questions that come before this one (so no cycles)",
            )
            continue
        show_if[question.id] = expr

    rules: list[tuple[Rule, Expression]] = []
    for i, rule in enumerate(q.rules):
        if rule.theme not in theme_ids:
            _unknown_theme(report, ("rules", i, "theme"), rule.theme, theme_ids, "rule")
        for j, ref in enumerate(rule.referrals):
            _check_referral(report, ("rules", i, "referrals", j), ref, registry)
        if rule.red_flag and rule.priority != "urgent":
            report.error(
                ("rules", i, "priority"),
                "a red-flag rule must have priority 'urgent'",
                "set priority: urgent",
            )
        expr = _compile(report, ("rules", i, "when"), rule.when, context, question_map)
        if expr is not None:
            rules.append((rule, expr))

    if not stored:
        report.problems.extend(safety_errors(q, data))
    if not stored and not any(p.severity == "error" for p in report.problems):
        # Only once the rest is sound: a removed or broken question is the real problem.
        for problem in marks:
            if problem.index < 0:
                report.error((), problem.message, problem.hint)
    if MELD_MISDAAD_ANONIEM not in registry:
        report.error(
            (),
            "the referral registry has no 'meld_misdaad_anoniem' entry",
            "add Meld Misdaad Anoniem to referrals.yaml",
        )
    if any(p.severity == "error" for p in report.problems):
        # Warnings over a half-compiled rule set would be false alarms.
        return None, report.problems
    _warn_unused(report, q, rules)
    _warn_error_messages(report, q)
    plans = {
        x.id: prepare_answers(plan_question(x, i, show_if.get(x.id)))
        for i, x in enumerate(q.questions)
    }
    rule_plans = tuple(
        sorted((plan_rule(rule, expr, plans) for rule, expr in rules), key=lambda p: p.rank)
    )
    compiled = Compiled(
        themes={t.id: t for t in q.themes},
        questions=question_map,
        show_if=show_if,
        rules=rules,
        question_index={x.id: i for i, x in enumerate(q.questions)},
        plans=plans,
        unanswered=dict.fromkeys(plans),
        walk=tuple((i, p, p.show_if, p.expression_value) for i, p in plans.items()),
        theme_plans=tuple(
            plan_theme(t, tuple(p for p in plans.values() if p.question.theme == t.id))
            for t in q.themes
        ),
        rule_plans=rule_plans,
        registry=registry,
        acute=acute_checks(q),
    )
    return compiled, report.problems


def _unique(report: _Reporter, section: str, ids: list[str], what: str) -> None:
    """Report every id that occurs more than once."""
    counts = Counter(ids)
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if counts[item_id] > 1 and item_id in seen:
            report.error(
                (section, i, "id"),
                f"{what} id '{item_id}' is used more than once",
                "every id must be unique; rename one",
            )
        seen.add(item_id)


def _check_question(report: _Reporter, i: int, question: Question, theme_ids: set[str]) -> None:
    """Check one question's theme, type-specific keys and options."""
    path = ("questions", i)
    if question.theme not in theme_ids:
        _unknown_theme(report, (*path, "theme"), question.theme, theme_ids, "question")
    if question.id in KEYWORDS:
        report.error(
            (*path, "id"),
            f"'{question.id}' is a keyword of the expression language",
            "choose another id",
        )
    for problem in question_problems(question):
        report.error((*path, *problem.path), problem.message, problem.hint, key=problem.key)


def _check_referral(report: _Reporter, path, ref: str, registry: dict[str, Referral]) -> None:
    if ref not in registry:
        report.error(
            path,
            f"unknown referral '{ref}'",
            did_you_mean(ref, registry) or "add it to referrals.yaml first",
        )


def _check_risk_levels(report: _Reporter, q: Questionnaire) -> None:
    """Check the risk levels cover 0-100 without gaps or overlaps."""
    levels = q.risk_levels
    for i, level in enumerate(levels):
        if level.min >= level.max:
            report.error(("risk_levels", i), f"risk level '{level.id}': min must be below max")
    if levels[0].min != 0:
        report.error(
            ("risk_levels", 0, "min"),
            "the first risk level must start at min: 0",
            "order the levels from the lowest score to the highest",
        )
    if levels[-1].max != 100:
        report.error(
            ("risk_levels", len(levels) - 1, "max"), "the last risk level must end at max: 100"
        )
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if cur.min > prev.max:
            report.error(
                ("risk_levels", i, "min"),
                f"gap between {prev.max:g} and {cur.min:g}",
                f"set min: {prev.max:g} so the levels touch",
            )
        elif cur.min < prev.max:
            report.error(
                ("risk_levels", i, "min"),
                f"overlaps the previous level ({cur.min:g} < {prev.max:g})",
                f"set min: {prev.max:g}",
            )


def _unknown_theme(report: _Reporter, path, theme: str, theme_ids: set[str], what: str) -> None:
    """Report a theme id that does not exist, saying so when an overlay removed it."""
    removed = _removed_by_overlay(report, "themes", theme)
    if removed:
        report.error(
            path,
            f"theme '{theme}' is removed by the overlay, but this {what} still uses it",
            f"remove this {what} in the overlay too, or move it to another theme; {removed}",
        )
    else:
        report.error(
            path,
            f"unknown theme '{theme}'",
            did_you_mean(theme, theme_ids) or "use the id of a theme",
        )


def _removed_by_overlay(report: _Reporter, section: str, item_id: str) -> str:
    """Return where an overlay removed this id ('it is removed at FILE:LINE:COL'), or ''."""
    position = getattr(report.data, "removed", {}).get(section, {}).get(item_id)
    return f"it is removed at {position}" if position else ""


def _compile(report: _Reporter, path, text: str, context, questions) -> Expression | None:
    try:
        return compile_expression(text, context, questions)
    except ExpressionError as exc:
        removed = _removed_by_overlay(report, "questions", exc.symbol) if exc.symbol else ""
        if removed:
            what = "rule" if path[0] == "rules" else "question"
            report.error(
                path,
                f"uses question '{exc.symbol}', which the overlay removes",
                f"remove or replace this {what} in the overlay too; {removed}",
            )
        else:
            report.error(path, exc.message, exc.hint)
        return None


def _warn_unused(report: _Reporter, q: Questionnaire, rules: list[tuple[Rule, Expression]]) -> None:
    """Warn about scored questions no rule reads, and rules that can never fire."""
    used = set().union(*(expr.symbols for _, expr in rules)) if rules else set()
    for i, question in enumerate(q.questions):
        if is_scored(question) and question.id not in used:
            report.warning(
                ("questions", i),
                f"scored question '{question.id}' is used by no rule",
                "add a rule that gives advice on a weak answer",
            )
    for i, (rule, expr) in enumerate(rules):
        if not expr.symbols:
            report.warning(
                ("rules", i, "when"),
                f"rule '{rule.id}' does not read any answer",
                "its advice would fire always or never",
            )
        elif _never_fires(expr, q):
            report.warning(
                ("rules", i, "when"),
                f"rule '{rule.id}' cannot fire for any combination of answers tried",
                "check the option values and comparisons in 'when'",
            )


def _warn_error_messages(report: _Reporter, q: Questionnaire) -> None:
    """Warn about a required question without its own error text, and a text never shown."""
    for i, question in enumerate(q.questions):
        if question.required and not question.error_message:
            report.warning(
                ("questions", i),
                f"required question '{question.id}' has no error_message",
                "say what to do when it is left open, for this question, e.g. "
                f"error_message: {kind_of(question).error_example}",
            )
        elif question.error_message and not question.required:
            report.warning(
                ("questions", i, "error_message"),
                f"question '{question.id}' is not required, so its error_message is never shown",
                "add required: true, or remove error_message",
            )


def _never_fires(expr: Expression, q: Questionnaire) -> bool:
    """Try answer combinations over the rule's symbols; True when none fires it."""
    domains: list[list[Any]] = []
    names = sorted(expr.symbols)
    for name in names:
        question = next(x for x in q.questions if x.id == name)
        domains.append(_sample_values(question))
    total = 1
    for d in domains:
        total *= len(d)
    if total > 4096:
        return False
    for combo in itertools.product(*domains):
        values = dict(zip(names, combo, strict=True))
        try:
            if expr(values):
                return False
        except Exception:  # an evaluation error is 'did not fire'
            continue
    return True


def _sample_values(question: Question) -> list[Any]:
    """Return the expression values of a question for the never-fires check: null and samples."""
    kind = kind_of(question)
    found: list[Any] = [None]
    for answer in kind.samples(question):
        value = kind.expression_value(answer)
        if value not in found:
            found.append(value)
    return found
