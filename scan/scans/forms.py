"""Theme-page forms built from the questionnaire model: a registry maps question kind to builder.

Every question becomes one or two WTForms fields named after the question id. "Weet ik niet"
and "Niet van toepassing" are explicit choices next to the real options. Builders also tell
which posted values are possible at all, so a tampered post is refused before anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from scan.platform.cache import lru
from scan.presentation import summary_message
from scan.questionnaire.errors import ScanError
from scan.questionnaire.kinds import choices_of
from scan.questionnaire.model import Question, Questionnaire
from scan.questionnaire.values import SPECIAL_ANSWERS

PREFIX = "q_"
SPECIAL = "__special"
# The option value that means "none of these" (label "Geen van deze"): like the special answers,
# it cannot be chosen together with another option.
NONE_OF_THESE = "geen"
EXCLUSIVE = {"data-exclusive": "1"}  # the marker scan/static/app.js acts on
# Posted by the page script (static/offline.js) for a page it kept without a connection.
QUEUED = "wachtrij"
# The visit part of a theme page (scans/visit_views.py): in the same form as the answers, so
# that one save keeps both; read by the visit, never an answer.
VISIT_FIELDS = ("waarneming", "afspraak", "wie", "wanneer")
CONTROL_FIELDS = frozenset({"csrf_token", "action", "seen", QUEUED, *VISIT_FIELDS})
NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


class FieldError(ScanError):
    """A user's answer that cannot be accepted; the message is Dutch and shown at the field."""


def field_name(question_id: str) -> str:
    """Return the form field name of a question."""
    return PREFIX + question_id


def special_choices(question: Question, exclusive: bool = False) -> list[SelectChoice]:
    """Return the special answers a question offers; exclusive ones clear other check boxes."""
    render_kw = EXCLUSIVE if exclusive else {}
    return [
        SelectChoice(value, lazy_gettext(SPECIAL_ANSWERS[value]), render_kw=dict(render_kw))
        for value in question.special_answers()
    ]


def values(choices: list[SelectChoice]) -> frozenset[str]:
    """Return the values of a list of choices."""
    return frozenset(c.value for c in choices)


class CheckboxListField(SelectMultipleField):
    """A list of check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass(frozen=True)
class Allowed:
    """What a posted field may hold: a set of values (None: free input) and whether several."""

    values: frozenset[str] | None
    several: bool = False


class Builder:
    """Turn one question type into form fields, and posted fields back into an answer."""

    def fields(self, question: Question) -> dict[str, Any]:
        """Return the unbound fields for a question, by field name."""
        raise NotImplementedError

    def allowed(self, question: Question) -> dict[str, Allowed]:
        """Return, per field name, which posted values are possible."""
        raise NotImplementedError

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        """Return the field data that shows a stored answer."""
        raise NotImplementedError

    def answer(self, question: Question, form: FlaskForm) -> Any:
        """Return the answer given in the form, None when empty; raise FieldError."""
        raise NotImplementedError

    def first_field_id(self, question: Question) -> str:
        """Return the HTML id of the first input (the target of error links)."""
        return f"{field_name(question.id)}-0"


def _in_words(question: Question, label: str) -> Any:
    """Return an option's label; the yes/no answers the model writes follow the page's language."""
    return lazy_gettext(label) if question.type == "yes_no" else label


class ChoiceBuilder(Builder):
    """Yes/no and single choice: one group of radio buttons, special answers last."""

    def choices(self, question: Question) -> list[SelectChoice]:
        """Return the choice of every radio button."""
        return [
            SelectChoice(o.value, _in_words(question, o.label)) for o in choices_of(question)
        ] + special_choices(question)

    def fields(self, question):
        return {
            field_name(question.id): RadioField(
                question.text, choices=self.choices(question), validate_choice=False
            )
        }

    def allowed(self, question):
        return {field_name(question.id): Allowed(values(self.choices(question)))}

    def initial(self, question, value):
        return {field_name(question.id): value}

    def answer(self, question, form):
        return form[field_name(question.id)].data or None


class ScaleBuilder(ChoiceBuilder):
    """A scale: one radio button per step, the end labels next to the first and last step."""

    def choices(self, question):
        scale = question.scale
        steps = []
        for step in range(scale.min, scale.max + 1):
            label = str(step)
            if step == scale.min:
                label += f" – {scale.min_label}"
            elif step == scale.max:
                label += f" – {scale.max_label}"
            steps.append(SelectChoice(str(step), label))
        return steps + special_choices(question)

    def initial(self, question, value):
        if isinstance(value, float | int):
            value = str(int(value))
        return {field_name(question.id): value}

    def answer(self, question, form):
        value = form[field_name(question.id)].data
        if not value:
            return None
        return value if value in SPECIAL_ANSWERS else float(value)


class MultipleBuilder(Builder):
    """Multiple choice: check boxes; a special answer or "Geen van deze" excludes the others."""

    def choices(self, question: Question) -> list[SelectChoice]:
        """Return the choice of every check box."""
        options = [
            SelectChoice(
                o.value, o.label, render_kw=dict(EXCLUSIVE) if o.value == NONE_OF_THESE else {}
            )
            for o in question.options
        ]
        return options + special_choices(question, exclusive=True)

    def fields(self, question):
        return {
            field_name(question.id): CheckboxListField(
                question.text, choices=self.choices(question), validate_choice=False
            )
        }

    def allowed(self, question):
        return {field_name(question.id): Allowed(values(self.choices(question)), several=True)}

    def initial(self, question, value):
        return {field_name(question.id): list(value) if isinstance(value, list) else [value]}

    def answer(self, question, form):
        chosen = form[field_name(question.id)].data or []
        if not chosen:
            return None
        specials = [v for v in chosen if v in SPECIAL_ANSWERS]
        if specials and len(chosen) > 1:
            label = gettext(SPECIAL_ANSWERS[specials[0]])
            raise FieldError(
                gettext(
                    "Kies een of meer antwoorden, of kies ‘%(label)s’. Niet allebei.", label=label
                )
            )
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            label = next(o.label for o in question.options if o.value == NONE_OF_THESE)
            raise FieldError(
                gettext(
                    "U koos ook ‘%(label)s’. Kies wat er bij u is, of kies ‘%(label)s’.",
                    label=label,
                )
            )
        return chosen


class FreeInputBuilder(Builder):
    """Number and text: an input, with the special answers as check boxes below it."""

    def input_field(self, question: Question) -> Any:
        """Return the unbound input field."""
        raise NotImplementedError

    def parse(self, question: Question, text: str) -> Any:
        """Return the answer typed in; raise FieldError."""
        raise NotImplementedError

    def fields(self, question):
        found = {field_name(question.id): self.input_field(question)}
        if question.special_answers():
            found[field_name(question.id) + SPECIAL] = CheckboxListField(
                lazy_gettext("Of kies"),
                choices=special_choices(question, exclusive=True),
                validate_choice=False,
            )
        return found

    def allowed(self, question):
        found = {field_name(question.id): Allowed(None)}
        if question.special_answers():
            found[field_name(question.id) + SPECIAL] = Allowed(
                frozenset(question.special_answers()), several=True
            )
        return found

    def initial(self, question, value):
        if isinstance(value, str) and value in SPECIAL_ANSWERS:
            return {field_name(question.id) + SPECIAL: [value]}
        return {field_name(question.id): self.show(value)}

    def show(self, value: Any) -> str:
        """Return how a stored answer appears in the input."""
        return str(value)

    def first_field_id(self, question):
        return field_name(question.id)

    def answer(self, question, form):
        text = (form[field_name(question.id)].data or "").strip()
        special_field = form._fields.get(field_name(question.id) + SPECIAL)
        specials = (special_field.data or []) if special_field is not None else []
        if len(specials) > 1:
            raise FieldError(gettext("Kies één van beide, niet allebei."))
        if specials and text:
            label = gettext(SPECIAL_ANSWERS[specials[0]])
            raise FieldError(
                gettext("Vul een antwoord in, of kies ‘%(label)s’. Niet allebei.", label=label)
            )
        if specials:
            return specials[0]
        return self.parse(question, text) if text else None


class NumberBuilder(FreeInputBuilder):
    """A number within the question's range; a comma is accepted as decimal sign, and refused
    (in Dutch) when the question counts whole things."""

    def input_field(self, question):
        mode = "numeric" if question.number.whole else "decimal"
        return StringField(question.text, render_kw={"inputmode": mode, "size": 12})

    def show(self, value):
        return f"{value:g}".replace(".", ",") if isinstance(value, float | int) else str(value)

    def parse(self, question, text):
        low, high = question.number.min, question.number.max
        message = f"Vul een getal in van {low:g} tot en met {high:g}."
        cleaned = text.replace(" ", "")
        if "," in cleaned:  # Dutch: 1.250,5
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif THOUSANDS.fullmatch(cleaned):  # Dutch: 1.000 is a thousand
            cleaned = cleaned.replace(".", "")
        if not NUMBER.fullmatch(cleaned):
            raise FieldError(message)
        number = float(cleaned)
        if question.number.whole and number != int(number):
            unit = question.number.unit or "dingen"
            raise FieldError(f"Vul een heel getal in, zonder komma: u telt {unit}.")
        if not low <= number <= high:
            raise FieldError(message)
        return number


class TextBuilder(FreeInputBuilder):
    """Free text up to the question's maximum length."""

    def input_field(self, question):
        return TextAreaField(question.text, render_kw={"maxlength": question.max_length, "rows": 4})

    def parse(self, question, text):
        if len(text) > question.max_length:
            raise FieldError(
                gettext("Gebruik hoogstens %(count)s tekens.", count=question.max_length)
            )
        return text


# Keyed by the names of the question kinds (scan/questionnaire/kinds.py).
BUILDERS: dict[str, Builder] = {
    "yes_no": ChoiceBuilder(),
    "single_choice": ChoiceBuilder(),
    "scale": ScaleBuilder(),
    "multiple_choice": MultipleBuilder(),
    "number": NumberBuilder(),
    "text": TextBuilder(),
}


class ThemeForm(FlaskForm):
    """Base of the generated theme-page forms; fields are added per theme."""


# The form class of a theme page, keyed on id(q) and the theme id. Safe: the entry holds q
# itself, so its id() cannot be reused while the entry lives, and a hit is checked with `is`;
# a loaded questionnaire never changes.
_classes = lru("form-classes", 1024)
# The special answers' words (scan.questionnaire.values.SPECIAL_ANSWERS), marked for the catalogs.
SPECIAL_WORDS = (lazy_gettext("Weet ik niet"), lazy_gettext("Niet van toepassing"))


def form_class(q: Questionnaire, theme_id: str) -> type[ThemeForm]:
    """Return the form class of one theme page (built once per questionnaire and theme)."""
    key = (id(q), theme_id)
    cached = _classes.get(key)
    if cached is not None and cached[0] is q:
        return cached[1]
    attrs: dict[str, Any] = {}
    for question in q.questions_for(theme_id):
        attrs.update(BUILDERS[question.type].fields(question))
    cls = type(f"ThemeForm_{theme_id}", (ThemeForm,), attrs)
    _classes.put(key, (q, cls))
    return cls


def initial_data(questions: list[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Return the form data that shows the stored answers of these questions."""
    data: dict[str, Any] = {}
    for question in questions:
        if question.id in answers:
            data.update(BUILDERS[question.type].initial(question, answers[question.id]))
    return data


# What each page's fields may hold, keyed on the ids of its question objects. Safe: the entry
# holds the questions themselves (so no id is reused while it lives, and a hit is checked with
# `is`); a loaded questionnaire never changes, and the allowed values are the same in every
# language (option values, not their words).
_allowed = lru("allowed-values", 1024)


def allowed_values(questions: list[Question]) -> dict[str, Allowed]:
    """Return, per field name of these questions, which posted values are possible."""
    key = tuple(id(x) for x in questions)
    cached = _allowed.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], questions, strict=True)):
        return cached[1]
    allowed: dict[str, Allowed] = {}
    for question in questions:
        allowed.update(BUILDERS[question.type].allowed(question))
    _allowed.put(key, (tuple(questions), allowed))
    return allowed


def tampered(questions: list[Question], formdata: MultiDict) -> list[str]:
    """Return what in a post no page form can produce (unknown fields or option values)."""
    allowed = allowed_values(questions)
    problems = []
    for key in formdata:
        values = formdata.getlist(key)
        if key in CONTROL_FIELDS:
            if len(values) > 1:
                problems.append(f"{key}: sent more than once")
            continue
        rule = allowed.get(key)
        if rule is None:
            problems.append(f"{key}: unknown field")
            continue
        if len(values) > 1 and not rule.several:
            problems.append(f"{key}: sent more than once")
        if rule.values is not None and any(v not in rule.values for v in values):
            problems.append(f"{key}: unknown option")
        elif rule.several and len(set(values)) != len(values):
            problems.append(f"{key}: an option is sent twice")
    return problems


@dataclass
class PageInput:
    """The answers read from a posted theme page, and the Dutch errors per question id."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def read_page(form: FlaskForm, questions: list[Question]) -> PageInput:
    """Read every question's answer from a posted form; collect field errors instead of raising."""
    page = PageInput()
    for question in questions:
        try:
            value = BUILDERS[question.type].answer(question, form)
        except FieldError as error:
            page.errors[question.id] = str(error)
            continue
        if value is not None:
            page.answers[question.id] = value
    return page


def field_names(question: Question) -> tuple[str, ...]:
    """Return the names of the form fields of a question, in order."""
    name = field_name(question.id)
    if isinstance(BUILDERS[question.type], FreeInputBuilder) and question.special_answers():
        return (name, name + SPECIAL)
    return (name,)


def first_field_id(question: Question) -> str:
    """Return the HTML id of the first input of a question (the target of error links)."""
    return BUILDERS[question.type].first_field_id(question)


def summary_errors(questions: list[Question], errors: dict[str, str]) -> list[tuple[str, str]]:
    """Return the error summary's (field id, message) pairs of a page, in question order."""
    return [
        (first_field_id(x), summary_message(errors[x.id], x)) for x in questions if x.id in errors
    ]
