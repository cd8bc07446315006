"""The studio's forms for the common changes: a question, an advice rule, an own referral.

Each form reads and writes one item as the format has it (scan/studio/form_yaml.py writes it
into the author's text). The field names are the format's keys, so a problem the loader finds
in the item is shown next to the field it is about. Choices (themes, earlier questions and
their answers, referrals) come from the draft's merged questionnaire.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from scan.questionnaire import Questionnaire
from scan.questionnaire.kinds import LIST, MultipleChoice, SingleChoice, YesNo, choices_of, kind_of
from scan.questionnaire.values import PRIORITY_LABELS

ID_RULE = Regexp(
    r"^[a-z][a-z0-9_]{0,59}$",
    message="Gebruik kleine letters, cijfers en _, en begin met een letter (bijv. eigen_vraag).",
)
# The kinds the question form offers; scale, number and text stay in the text editor.
TYPES = [
    (YesNo.name, "Ja of nee"),
    (SingleChoice.name, "Eén antwoord kiezen"),
    (MultipleChoice.name, "Meer antwoorden kiezen"),
]
CHOICE_TYPES = {SingleChoice.name, MultipleChoice.name}
OPTION_ROWS = 6


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _needed(what: str) -> DataRequired:
    return DataRequired(f"Vul {what} in.")


def answer_choices(q: Questionnaire) -> list[tuple[str, str]]:
    """Return 'question|answer' pairs for a condition picked from the questions' answers."""
    choices = []
    for question in q.questions:
        for value, label in ((o.value, o.label) for o in choices_of(question)):
            choices.append((f"{question.id}|{value}", f"{question.text[:70]} → {label}"))
    return choices


def condition(q: Questionnaire, picked: str) -> str:
    """Return the expression for a picked 'question|answer' pair."""
    question_id, _, value = picked.partition("|")
    question = next((x for x in q.questions if x.id == question_id), None)
    if question is not None and kind_of(question).value_type is LIST:
        return f"'{value}' in {question_id}"
    return f"{question_id} == '{value}'"


def picked_of(expression: str | None) -> str:
    """Return the 'question|answer' pair an expression the forms write stands for, else ''."""
    found = re.fullmatch(r"(\w+) == '(\w+)'", expression or "") or re.fullmatch(
        r"'(\w+)' in (\w+)", expression or ""
    )
    if not found:
        return ""
    first, second = found.groups()
    return f"{first}|{second}" if "==" in (expression or "") else f"{second}|{first}"


class Pick(SelectField):
    """A select whose refusal is Dutch."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_choice_message", "Kies een van de mogelijkheden in de lijst.")
        super().__init__(label, **kwargs)


class OptionForm(Form):
    """One answer of a choice question: what the entrepreneur sees and its score."""

    label = StringField("Antwoord", validators=[Optional(), Length(max=120)])
    value = StringField("Code", validators=[Optional(), ID_RULE])
    score = IntegerField(
        "Score (0-100)",
        validators=[Optional(), NumberRange(0, 100, "Een score is 0 tot en met 100.")],
    )


class ChangeForm(FlaskForm):
    """What the three forms share: the draft's revision the author read."""

    revision = HiddenField()

    def fill_choices(self, q: Questionnaire) -> None:
        """Fill the selects from the draft's questionnaire."""

    def item(self, q: Questionnaire) -> dict[str, Any]:
        """Return the item as the format writes it."""
        raise NotImplementedError


class QuestionForm(ChangeForm):
    """A question: its text, help, type, answers with scores and when it is shown."""

    id = StringField("Code van de vraag", validators=[_needed("een code"), ID_RULE])
    after = Pick("Na welke vraag komt hij?", validate_choice=False)
    theme = Pick("Thema")
    text = StringField("De vraag", validators=[_needed("de vraag"), Length(max=300)])
    help = TextAreaField("Waarom vragen we dit?", validators=[_needed("de uitleg")])
    type = Pick("Soort antwoord", choices=_choices(TYPES))
    good_answer = Pick(
        "Goed antwoord (bij ja of nee)",
        default="",
        choices=_choices([("", "Geen score"), ("ja", "Ja is goed"), ("nee", "Nee is goed")]),
    )
    options = FieldList(FormField(OptionForm), min_entries=OPTION_ROWS, max_entries=20)
    show_if_pick = Pick("Alleen tonen als", validate_choice=False)
    show_if = StringField("Of schrijf zelf wanneer hij getoond wordt", validators=[Optional()])
    required = BooleanField("De ondernemer moet deze vraag beantwoorden")
    error_message = StringField("Melding als hij open blijft", validators=[Optional()])

    def fill_choices(self, q: Questionnaire) -> None:
        self.theme.choices = _choices((t.id, t.title) for t in q.themes)
        self.after.choices = _choices(
            [("", "Aan het eind")] + [(x.id, x.text[:80]) for x in q.questions]
        )
        self.show_if_pick.choices = _choices([("", "Altijd tonen")] + answer_choices(q))

    def validate_options(self, field) -> None:
        if self.type.data not in CHOICE_TYPES:
            return
        filled = [row.form for row in field.entries if (row.form.label.data or "").strip()]
        if len(filled) < 2:
            raise ValidationError("Geef minstens twee antwoorden.")
        scored = [row.score.data is not None for row in filled]
        if any(scored) and not all(scored):
            raise ValidationError("Geef elk antwoord een score, of geen enkel antwoord.")

    def item(self, q: Questionnaire) -> dict[str, Any]:
        item: dict[str, Any] = {"after": self.after.data} if self.after.data else {}
        item.update(id=self.id.data, theme=self.theme.data, text=self.text.data.strip())
        item.update(help=self.help.data.strip(), type=self.type.data)
        if self.type.data == YesNo.name and self.good_answer.data:
            item["good_answer"] = self.good_answer.data
        if self.type.data in CHOICE_TYPES:
            rows = [row.form for row in self.options.entries]
            item["options"] = [_option(row) for row in rows if (row.label.data or "").strip()]
        show_if = (self.show_if.data or "").strip() or (
            condition(q, self.show_if_pick.data) if self.show_if_pick.data else ""
        )
        if show_if:
            item["show_if"] = show_if
        if self.required.data:
            item["required"] = True
            if self.error_message.data:
                item["error_message"] = self.error_message.data.strip()
        return item


def _option(row) -> dict[str, Any]:
    label = row.label.data.strip()
    value = row.value.data or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:60]
    option: dict[str, Any] = {"value": value if value[:1].isalpha() else f"a_{value}"}
    option["label"] = label
    if row.score.data is not None:
        option["score"] = row.score.data
    return option


class ReferralChoices(SelectMultipleField):
    """Referrals as check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RuleForm(ChangeForm):
    """An advice rule: when it fires, its priority, its steps and whom to call."""

    id = StringField("Code van het advies", validators=[_needed("een code"), ID_RULE])
    when_pick = Pick("Geef dit advies als", validate_choice=False)
    when = StringField("Of schrijf zelf wanneer")
    theme = Pick("Thema")
    priority = Pick("Hoe dringend", choices=_choices(PRIORITY_LABELS.items()), default="medium")
    title = StringField("Titel (wat moet de ondernemer doen)", validators=[_needed("een titel")])
    explanation = TextAreaField("Waarom (wat is het risico)", validators=[_needed("de uitleg")])
    steps = TextAreaField("Stappen, één per regel", validators=[_needed("minstens één stap")])
    referrals = ReferralChoices("Wie kan helpen", validate_choice=False)
    only_when_safe = BooleanField("Dit advies vraagt contact met de betrokken mensen of panden")

    def fill_choices(self, q: Questionnaire) -> None:
        self.theme.choices = _choices((t.id, t.title) for t in q.themes)
        self.when_pick.choices = _choices([("", "Kies een antwoord")] + answer_choices(q))
        self.referrals.choices = _choices((r.id, r.name) for r in q.registry.values())

    def validate_when(self, field) -> None:
        if not (field.data or "").strip() and not self.when_pick.data:
            raise ValidationError("Kies bij welk antwoord dit advies komt, of schrijf het zelf.")

    def validate_steps(self, field) -> None:
        if len(_lines(field.data)) > 8:
            raise ValidationError("Geef hoogstens 8 stappen.")

    def item(self, q: Questionnaire) -> dict[str, Any]:
        when = (self.when.data or "").strip() or condition(q, self.when_pick.data)
        item: dict[str, Any] = {"id": self.id.data, "when": when, "theme": self.theme.data}
        item["priority"] = self.priority.data
        item["advice"] = {
            "title": self.title.data.strip(),
            "explanation": self.explanation.data.strip(),
            "steps": _lines(self.steps.data),
        }
        if self.referrals.data:
            item["referrals"] = list(self.referrals.data)
        if self.only_when_safe.data:
            item["only_when_safe"] = True
        return item


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReferralForm(ChangeForm):
    """An own referral: an organisation of the branch's own that members can call."""

    id = StringField("Code", validators=[_needed("een code"), ID_RULE])
    name = StringField("Naam", validators=[_needed("de naam"), Length(max=120)])
    phone = StringField("Telefoon", validators=[Length(max=40)])
    url = StringField("Website (https://...)", validators=[Optional(), Length(max=300)])
    contact = StringField("Of: hoe neemt men contact op", validators=[Optional()])
    when = TextAreaField("Wanneer belt men hen?", validators=[_needed("wanneer men belt")])
    # Its own id: "source" is the editor's text area, which the studio's scripts look for.
    source = StringField("Waar staat dit (bron)", validators=[_needed("de bron")], id="bron")
    verified_on = StringField(
        "Nagekeken op (jjjj-mm-dd)", validators=[_needed("de datum waarop u het nakeek")]
    )
    anonymous = BooleanField("Men kan anoniem melden")
    always_shown = BooleanField("Altijd tonen bij de uitkomst")

    def validate_phone(self, field) -> None:
        if not (field.data or self.url.data or self.contact.data):
            raise ValidationError("Vul een telefoonnummer, een website of een andere manier in.")

    def validate_verified_on(self, field) -> None:
        try:
            day = dt.date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError("Schrijf de datum als jjjj-mm-dd, bijv. 2026-11-30.") from None
        if day > dt.date.today():
            raise ValidationError("Deze datum ligt in de toekomst.")

    def item(self, q: Questionnaire) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.id.data, "name": self.name.data.strip()}
        for key in ("phone", "url", "contact"):
            if getattr(self, key).data:
                item[key] = getattr(self, key).data.strip()
        item.update(when=self.when.data.strip(), source=self.source.data.strip())
        item["verified_on"] = dt.date.fromisoformat(self.verified_on.data.strip())
        if self.anonymous.data:
            item["anonymous"] = True
        return item


def question_data(q: Questionnaire, question_id: str, own: dict[str, Any] | None) -> dict | None:
    """Return a question's fields for the form (None when it is not there)."""
    question = next((x for x in q.questions if x.id == question_id), None)
    if question is None or question.type not in dict(TYPES):  # a scale, number or text: the text
        return None
    data = question.model_dump(exclude_defaults=True)
    data["after"] = (own or {}).get("after", "")
    data["options"] = [o.model_dump(exclude_defaults=True) for o in question.options]
    data["options"] += [{}] * max(OPTION_ROWS - len(question.options), 0)
    data["show_if_pick"] = picked_of(question.show_if)
    if data["show_if_pick"]:
        data.pop("show_if", None)
    return data


def rule_data(q: Questionnaire, rule_id: str) -> dict | None:
    """Return a rule's fields for the form (None when it is not there)."""
    rule = next((r for r in q.rules if r.id == rule_id), None)
    if rule is None:
        return None
    data = rule.model_dump(exclude_defaults=True)
    data.update(data.pop("advice"))
    data["steps"] = "\n".join(rule.advice.steps)
    data["when_pick"] = picked_of(rule.when)
    if data["when_pick"]:
        data.pop("when")
    return data


def referral_data(own: dict[str, Any] | None, shown: bool) -> dict | None:
    """Return an own referral's fields for the form (None when it is not there)."""
    if own is None:
        return None
    return {**own, "verified_on": str(own.get("verified_on", "")), "always_shown": shown}
