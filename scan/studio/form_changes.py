"""Apply a studio form's item to a draft: write it into the author's text, check the text as a
typed text is checked, and save it only when the form brought no new error.

A form's change is refused (nothing saved, the form keeps what the author typed) when the
changed text has an error the draft did not have; each such error is shown next to the field
its path names. The draft's own older errors do not block a form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scan.platform.catalog import get_catalog
from scan.platform.models import QuestionnaireDocument, User
from scan.questionnaire import Problem, Questionnaire
from scan.studio import change_forms, document_checks, documents, form_yaml


@dataclass
class FormKind:
    """One of the three forms: its form class, the format's list, and how it is titled."""

    form: type[change_forms.ChangeForm]
    items: str
    title: str
    noun: str


KINDS = {
    "vraag": FormKind(change_forms.QuestionForm, "questions", "Vraag", "De vraag"),
    "advies": FormKind(change_forms.RuleForm, "rules", "Advies", "Het advies"),
    "doorverwijzing": FormKind(
        change_forms.ReferralForm, "referrals", "Eigen doorverwijzing", "De doorverwijzing"
    ),
}


@dataclass
class Outcome:
    """What a form's change did: saved (with the line it starts on), or the new problems."""

    saved: bool
    line: int | None = None
    problems: list[tuple[str | None, str]] = field(default_factory=list)


def existing(kind: str, q: Questionnaire, doc: QuestionnaireDocument, item_id: str) -> Any:
    """Return the form data of an existing item to edit, else None."""
    own = form_yaml.own_item(doc.source, KINDS[kind].items, item_id)
    if kind == "vraag":
        return change_forms.question_data(q, item_id, own)
    if kind == "advies":
        return change_forms.rule_data(q, item_id)
    return change_forms.referral_data(own, item_id in q.referrals)


# The keys each form shows; an item's other settings (a weight, an acute answer, a red flag,
# a score cap) are kept as they were when an existing item is changed.
FORM_KEYS = {
    "vraag": {"after", "id", "theme", "text", "help", "type", "good_answer", "options"}
    | {"show_if", "required", "error_message"},
    "advies": {"id", "when", "theme", "priority", "advice", "referrals", "only_when_safe"},
}
OPTION_KEYS = {"value", "label", "score"}


def with_kept_settings(kind: str, q: Questionnaire, item: dict[str, Any]) -> dict[str, Any]:
    """Return the item with the settings the form does not show, kept from the existing item."""
    items: list[Any] = [*q.questions] if kind == "vraag" else [*q.rules] if kind == "advies" else []
    original = next((x for x in items if x.id == item["id"]), None)
    if original is None:
        return item
    old = original.model_dump(mode="json", exclude_defaults=True)
    kept = {key: value for key, value in old.items() if key not in FORM_KEYS[kind]}
    if kind == "vraag" and "options" in item:
        extras = {
            o["value"]: {k: v for k, v in o.items() if k not in OPTION_KEYS}
            for o in old.get("options", [])
        }
        item["options"] = [{**o, **extras.get(o["value"], {})} for o in item["options"]]
    return {**item, **kept}


def editable(kind: str, q: Questionnaire, doc: QuestionnaireDocument) -> list[tuple[str, str]]:
    """Return the (id, words) of the items this form can open to change."""
    if kind == "vraag":
        kinds = {value for value, _ in change_forms.TYPES}
        return [(x.id, x.text[:80]) for x in q.questions if x.type in kinds]
    if kind == "advies":
        return [(r.id, r.advice.title[:80]) for r in q.rules]
    return form_yaml.own_referrals(doc.source)


def taken(kind: str, q: Questionnaire, item_id: str) -> bool:
    """Tell whether a new item's id is in use already."""
    ids: dict[str, Callable[[], set[str]]] = {
        "vraag": lambda: {x.id for x in q.questions},
        "advies": lambda: {r.id for r in q.rules},
        "doorverwijzing": lambda: set(q.registry),
    }
    return item_id in ids[kind]()


def written(kind: str, text: str, item: dict[str, Any], q: Questionnaire, extra: bool) -> str:
    """Return the text with the item written in (raise form_yaml.TextNotReadable)."""
    if kind == "doorverwijzing":
        return form_yaml.put_referral(text, item, always_shown=extra)
    in_base = (
        taken(kind, q, item["id"])
        and form_yaml.own_item(text, KINDS[kind].items, item["id"]) is None
    )
    put = form_yaml.put_question if kind == "vraag" else form_yaml.put_rule
    return put(text, item, in_base)


def apply(
    doc: QuestionnaireDocument,
    text: str,
    item_id: str,
    actor: User,
    read_revision: int | None,
    fields: set[str],
) -> Outcome:
    """Save the changed text unless it brings new errors (raise documents.DraftConflict)."""
    catalog = get_catalog()
    before = Counter(
        p.message for p in document_checks.check_document(doc, doc.source, catalog).errors
    )
    new = []
    for problem in document_checks.check_document(doc, text, catalog).errors:
        if before[problem.message] > 0:
            before[problem.message] -= 1
        else:
            new.append((field_of(problem, fields), _words(problem)))
    if new:
        return Outcome(False, problems=new)
    documents.save(doc, text, actor, catalog, read_revision)
    return Outcome(True, line=line_of(text, item_id))


def field_of(problem: Problem, fields: set[str]) -> str | None:
    """Return the form field a problem's path names (its last known key), else None."""
    keys = [re.sub(r"\[\d+\]$", "", part) for part in (problem.path or "").split(".")]
    keys = ["title" if k == "advice" else k for k in keys]
    return next((k for k in reversed(keys) if k in fields), None)


def _words(problem: Problem) -> str:
    return f"{problem.message}. {problem.hint}" if problem.hint else problem.message


def line_of(text: str, item_id: str) -> int | None:
    """Return the line (from 1) where the item with this id starts in the text."""
    pattern = re.compile(rf"^\s*(?:-\s+)?id:\s*['\"]?{re.escape(item_id)}['\"]?\s*$")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None
