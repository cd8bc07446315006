"""Score a filled-in scan: a pure function from questionnaire and answers to a Result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

# The advice types live beside the rule plans, which prepare advice at load time.
from scan.questionnaire.acute import acute_in
from scan.questionnaire.advice import FiredAdvice, Trigger
from scan.questionnaire.errors import AnswersError, Problem, did_you_mean
from scan.questionnaire.model import (
    Question,
    Questionnaire,
    Referral,
    RiskLevel,
)
from scan.questionnaire.plan import (
    MAX_REMEMBERED,
    MELD_MISDAAD_ANONIEM,
    RulePlan,
    ThemePlan,
    plan_question,
)
from scan.questionnaire.values import NOT_APPLICABLE, UNKNOWN, Answer

HiddenPolicy = Literal["error", "ignore"]
_UNPREPARED: Any = object()  # an answer a rule's outcome table does not hold
_ABSENT: Any = object()  # a question the answers do not mention


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """The score of one theme and how many of its questions counted."""

    id: str
    title: str
    weight: float
    score: float | None
    counted: int
    unknown: int
    skipped: int
    capped_by: str | None = None


@dataclass(frozen=True, slots=True)
class RiskOutcome:
    """A label with its meaning: a risk level, or the red-flag outcome."""

    id: str
    label: str
    explanation: str


RED_FLAG_OUTCOME_ID = "direct_hulp"


@dataclass(frozen=True, slots=True)
class TodayCall:
    """A step for today on a red flag, with the referral ids of whom to call."""

    text: str
    calls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """Everything a scan leads to; the web page and the PDF only read this."""

    questionnaire_id: str
    version: int
    title: str
    sector: str
    overall: float | None
    risk: RiskOutcome | None
    red_flag: bool
    themes: tuple[ThemeScore, ...]
    advice: tuple[FiredAdvice, ...]
    referrals: tuple[Referral, ...]
    answered: int
    unknown: int
    not_applicable: int
    skipped: int
    visible: int
    # What the scan says in one label: the red-flag outcome when a red flag fired, otherwise
    # the risk level. `risk` stays the most serious level on a red flag (for statistics);
    # `score_level` is the level of the score alone, so the score can be shown honestly.
    outcome: RiskOutcome | None = None
    score_level: RiskOutcome | None = None
    # The answers that mean something is happening now, and on a red flag what to do today.
    acute: tuple[Trigger, ...] = ()
    today: tuple[TodayCall, ...] = ()

    def fired_ids(self) -> list[str]:
        """Return the ids of the rules that fired."""
        return [a.id for a in self.advice]

    def theme(self, theme_id: str) -> ThemeScore:
        """Return one theme's score."""
        return next(t for t in self.themes if t.id == theme_id)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        data = asdict(self)
        data["referrals"] = [r.model_dump(mode="json") for r in self.referrals]
        return data


def check_answers(
    q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error"
) -> dict[str, Answer]:
    """Validate and normalise answers; drop empty ones; raise AnswersError listing every problem."""
    return _prepare(q, answers, hidden)[0]


def check_visible(
    q: Questionnaire, answers: Mapping[str, Any]
) -> tuple[dict[str, Answer], set[str]]:
    """Validate and normalise answers once; return the visible ones and the visible question ids.

    Answers to hidden questions are left out; raise AnswersError listing every problem.
    """
    clean, visible, _ = _prepare(q, answers, "ignore")
    return clean, visible


def visible_questions(q: Questionnaire, answers: Mapping[str, Any]) -> set[str]:
    """Return the ids of the questions shown for these (valid) answers."""
    return _prepare(q, answers, "ignore")[1]


def expression_values(q: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Return the value of every question symbol for valid answers: the answer, or None."""
    return _prepare(q, answers, "ignore")[2]


def _prepare(
    q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy
) -> tuple[dict[str, Answer], set[str], dict[str, Any]]:
    """Walk the questions once: check each answer, then the visible set, clean answers, values."""
    if not isinstance(answers, Mapping):
        raise AnswersError([Problem("answers must be a mapping from question id to answer")])
    compiled = q.compiled
    problems: list[tuple[Any, Problem]] = []  # (answer key, problem): listed in answer order
    hidden_answered: list[str] = []
    values: dict[str, Any] = compiled.unanswered.copy()
    visible: set[str] = set()
    clean: dict[str, Answer] = {}
    get = answers.get
    found = 0
    for question_id, plan, show_if, convert in compiled.walk:
        raw = get(question_id, _ABSENT)
        value = None
        if raw is not _ABSENT:
            found += 1
            if raw.__class__ is str:
                value = plan.ready.get(raw)  # options and special answers are prepared
            if value is None and raw != "" and raw is not None and raw != []:
                value, problem = plan.normalise(raw)
                if problem:
                    problems.append((question_id, Problem(problem, path=question_id)))
        if show_if is not None and show_if(values) is not True:
            if value is not None:
                hidden_answered.append(question_id)
            continue
        visible.add(question_id)
        if value is not None:
            clean[question_id] = value
            values[question_id] = value if convert is None else convert(value)
    if found != len(answers):
        plans = compiled.plans
        problems += [
            (key, Problem(f"unknown question '{key}'", hint=did_you_mean(key, plans)))
            for key in answers
            if not isinstance(key, str) or key not in plans
        ]
    if problems:
        order = {key: index for index, key in enumerate(answers)}
        raise AnswersError(p for _, p in sorted(problems, key=lambda item: order[item[0]]))
    if hidden_answered and hidden == "error":
        raise AnswersError(
            Problem("this question is hidden by its show_if, so it cannot be answered", path=k)
            for k in hidden_answered
        )
    return clean, visible, values


def answer_label(question: Question, value: Answer) -> str:
    """Return how an answer to a question reads for people."""
    return plan_question(question, 0).label(value)


def score(q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error") -> Result:
    """Score answers against a questionnaire; raise AnswersError when they do not fit."""
    clean, visible, values = _prepare(q, answers, hidden)
    compiled = q.compiled
    caps: dict[str, tuple[float, str]] = {}
    red_flag = False
    advice_list: list[FiredAdvice] = []
    get = clean.get
    for plan in compiled.rule_plans:
        outcomes = plan.outcomes
        if outcomes is None:
            if plan.test(values) is not True:
                continue
            fired = plan.advice(clean)
        else:  # one trigger question: usually a look-up of what its answer leads to
            key = get(plan.trigger_ids[0])
            if isinstance(key, list):
                key = tuple(key)
            fired = outcomes.get(key, _UNPREPARED)
            if fired is _UNPREPARED:
                fired = _fire(plan, clean, values, key)
            if fired is None:
                continue
        rule = plan.rule
        red_flag = red_flag or rule.red_flag
        advice_list.append(fired)
        if rule.score_cap is not None and (
            rule.theme not in caps or rule.score_cap < caps[rule.theme][0]
        ):
            caps[rule.theme] = (rule.score_cap, rule.id)
    acute = acute_in(compiled.acute, clean)
    if acute:
        red_flag = True
    if red_flag:  # advice that needs a safe situation waits for a later scan
        advice = tuple(item for item in advice_list if not item.only_when_safe)
    else:
        advice = tuple(advice_list)
    scores = [_theme_score(plan, clean, visible, caps) for plan in compiled.theme_plans]
    themes = tuple([theme for theme, _ in scores])

    # The unrounded score decides the risk level; rounding (one decimal) is for display only,
    # so a 49.96 stays below a level that starts at 50 even though it reads 50.0.
    total = weights = 0.0
    scored = False
    for theme, exact in scores:
        if exact is not None:
            total += exact * theme.weight
            weights += theme.weight
            scored = True
    unrounded = total / weights if scored else None
    overall = round(unrounded, 1) if scored else None
    firsts = [value[0] if value.__class__ is list else value for value in clean.values()]
    unknown, not_applicable = firsts.count(UNKNOWN), firsts.count(NOT_APPLICABLE)
    risk = _risk(q, unrounded, red_flag)
    return Result(
        questionnaire_id=q.id,
        version=q.version,
        title=q.title,
        sector=q.sector,
        overall=overall,
        risk=risk,
        red_flag=red_flag,
        themes=themes,
        advice=advice,
        referrals=_referrals(q, compiled.registry, advice, red_flag),
        answered=len(clean) - unknown - not_applicable,
        unknown=unknown,
        not_applicable=not_applicable,
        skipped=len(visible) - len(clean),
        visible=len(visible),
        outcome=_outcome(q, risk, red_flag),
        score_level=_risk(q, unrounded, False),
        acute=tuple(_acute_trigger(compiled.plans[i], clean[i]) for i in acute),
        today=_today(q) if red_flag else (),
    )


def _acute_trigger(plan: Any, value: Any) -> Trigger:
    """Return an acute answer as the question and the answer in words."""
    return Trigger(plan.question.id, plan.question.text, plan.label(value))


def _today(q: Questionnaire) -> tuple[TodayCall, ...]:
    """Return the questionnaire's steps for today on a red flag."""
    return tuple(TodayCall(step.text, tuple(step.call)) for step in q.red_flag_outcome.today)


def _fire(plan: RulePlan, clean, values, key: Any) -> FiredAdvice | None:
    """Test a one-trigger rule on an answer its table lacks; remember lists and whole numbers."""
    fired = plan.advice(clean) if plan.test(values) is True else None
    if (key.__class__ is tuple or key.__class__ is int) and len(plan.outcomes) < MAX_REMEMBERED:
        plan.outcomes[key] = fired  # 1 and 1.0 read alike, so only int, never float
    return fired


def _theme_score(plan: ThemePlan, clean, visible, caps) -> tuple[ThemeScore, float | None]:
    """Return the score of one theme over its counted questions, and its unrounded value.

    Its 'unknown' counts the special answers ("Weet ik niet", "Niet van toepassing") of the
    theme's scored questions only: an answer to a question that never scores is not missing.
    """
    total = weights = 0.0
    counted = unknown = skipped = 0
    get = clean.get
    for question_id, weight, fractions, question_plan in plan.scoring:
        value = get(question_id)
        if value is None:
            if question_id in visible:
                skipped += 1
            continue
        fraction = fractions.get(value, _UNPREPARED) if value.__class__ is str else _UNPREPARED
        if fraction is _UNPREPARED:
            fraction = question_plan.fraction(value)
        if fraction is None:
            unknown += question_plan.scored
        else:
            total += fraction * weight
            weights += weight
            counted += 1
    if not weights:
        return _theme_result(plan, None, counted, unknown, skipped, None), None
    value = 100 * total / weights
    cap = caps.get(plan.theme.id)
    if cap is not None and cap[0] < value:
        return _theme_result(plan, cap[0], counted, unknown, skipped, cap[1]), cap[0]
    return _theme_result(plan, round(value, 1), counted, unknown, skipped, None), value


def _theme_result(plan: ThemePlan, *key: Any) -> ThemeScore:
    """Return the ThemeScore of a theme's figures, remembered: the same figures recur."""
    remembered = plan.remembered
    found = remembered.get(key)
    if found is None:
        theme = plan.theme
        found = ThemeScore(theme.id, theme.title, theme.weight, *key)
        if len(remembered) < MAX_REMEMBERED:
            remembered[key] = found
    return found


def risk_level_index(levels: Sequence[RiskLevel], value: float) -> int:
    """Return the index of the risk level a 0-100 score falls in (100 in the last)."""
    return next((i for i, lvl in enumerate(levels) if lvl.min <= value < lvl.max), len(levels) - 1)


def _risk(q: Questionnaire, overall: float | None, red_flag: bool) -> RiskOutcome | None:
    """Return the risk level for a score; a red flag always gives the most serious level."""
    if red_flag:
        level = q.risk_levels[0]
    elif overall is None:
        return None
    else:
        level = q.risk_levels[risk_level_index(q.risk_levels, overall)]
    return RiskOutcome(level.id, level.label, level.explanation)


def _outcome(q: Questionnaire, risk: RiskOutcome | None, red_flag: bool) -> RiskOutcome | None:
    """Return the red-flag outcome on a red flag, else the risk level (None without a score)."""
    if red_flag:
        flag = q.red_flag_outcome
        return RiskOutcome(RED_FLAG_OUTCOME_ID, flag.label, flag.explanation)
    return risk


def _referrals(
    q: Questionnaire, registry: dict[str, Referral], advice: tuple[FiredAdvice, ...], red_flag: bool
) -> tuple[Referral, ...]:
    """Return the referrals of the result: Meld Misdaad Anoniem first (then, on a red flag,
    whom to call today), no duplicates."""
    ids = [MELD_MISDAAD_ANONIEM]
    if red_flag:
        ids.extend(ref for step in q.red_flag_outcome.today for ref in step.call)
    for item in advice:
        ids.extend(item.referrals)
    ids.extend(q.referrals)
    # An older stored snapshot may lack a referral of today's steps: leave it out.
    return tuple(registry[i] for i in dict.fromkeys(ids) if i in registry)
