"""Checking a questionnaire document's text: the loader's problems, the size limit, and
whether its id and version are the document's; and whether a new id is free to use.

The changes that store a text are in scan/studio/documents.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from scan.platform.extensions import db
from scan.platform.models import Organisation, QuestionnaireDocument
from scan.questionnaire import Catalog, Position, Problem, Questionnaire
from scan.questionnaire.loader import check_text
from scan.questionnaire.located import locate

MAX_SOURCE_BYTES = 256 * 1024
ID_PATTERN = r"[a-z][a-z0-9_]{0,59}"  # as the format's ids


@dataclass
class Report:
    """The outcome of checking a text: the questionnaire (when it loads) and every problem.

    `data` is the text's own located data (not merged with a base), when it could be read.
    """

    questionnaire: Questionnaire | None
    problems: list[Problem] = field(default_factory=list)
    data: Any = None
    checked: Any = None  # the loader's TextCheck: merged data and base, for author messages

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check(text: str, name: str, catalog: Catalog) -> Report:
    """Check a text through the loader (with B1 warnings); refuse oversized text first."""
    size = len(text.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        return Report(
            None,
            [
                Problem(
                    f"the text is {-(-size // 1024)} KiB, the maximum is "
                    f"{MAX_SOURCE_BYTES // 1024} KiB",
                    Position(name, 1, 1),
                    hint="tailor less in one overlay, or remove long comments",
                )
            ],
        )
    checked = check_text(text, name, catalog)
    return Report(checked.questionnaire, checked.problems, checked.source, checked)


def check_document(doc: QuestionnaireDocument, text: str, catalog: Catalog) -> Report:
    """Check a text as this document: the loader's problems plus its id and version."""
    report = check(text, doc.file_name, catalog)
    report.problems[:0] = _identity_problems(doc, report.data, catalog)
    return report


def _identity_problems(doc: QuestionnaireDocument, data: Any, catalog: Catalog) -> list[Problem]:
    """Return problems when the text's id or version is not this document's."""
    if not isinstance(data, dict):
        return []
    expected = (
        (
            "id",
            doc.questionnaire_id,
            f"this document is '{doc.questionnaire_id}'; its id cannot change",
            f"write 'id: {doc.questionnaire_id}', or start a new tailored scan for a new id",
        ),
        (
            "version",
            doc.version,
            f"this draft becomes version {doc.version}",
            f"write 'version: {doc.version}'",
        ),
    )
    return [
        Problem(message, locate(data, (key,)), key, hint)
        for key, value, message, hint in expected
        if data.get(key) != value
    ]


def id_problem(questionnaire_id: str, organisation: Organisation, catalog: Catalog) -> str | None:
    """Return why an organisation cannot use this new questionnaire id, or None when it can."""
    if not re.fullmatch(ID_PATTERN, questionnaire_id or ""):
        return (
            "an id is lower-case letters, digits and _, starting with a letter, "
            "at most 60 characters"
        )
    if any(k[0] == questionnaire_id and not catalog.owners.get(k) for k in catalog.versions):
        return f"'{questionnaire_id}' is the id of a shipped questionnaire"
    owner = db.session.scalar(
        select(QuestionnaireDocument.organisation_id)
        .where(QuestionnaireDocument.questionnaire_id == questionnaire_id)
        .limit(1)
    )
    if owner is not None and owner != organisation.id:
        return f"'{questionnaire_id}' is used by another organisation"
    return None
