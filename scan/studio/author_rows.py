"""The studio's rows of author messages: each problem of a check in Dutch, on a line of the text."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scan.questionnaire import Problem
from scan.questionnaire.author_context import in_words
from scan.questionnaire.author_messages import author_messages
from scan.studio import document_lookups
from scan.studio.document_checks import Report


def message_rows(report: Report | None, name: str, text: str = "") -> list[dict[str, Any]]:
    """Return the report's problems as rows for the page, each at a line of the author's text."""
    if report is None:
        return []
    checked = report.checked
    messages = author_messages(
        [_retired_base(p) for p in report.problems],
        name,
        report.data,
        getattr(checked, "data", None),
        getattr(checked, "base", None),
    )
    source_lines = text.split("\n")
    return [
        {
            "severity": m.severity,
            "line": m.line,
            "column": m.column,
            "here": bool(m.line and m.line <= len(source_lines)),
            "excerpt": source_lines[m.line - 1].strip()
            if m.line and m.line <= len(source_lines)
            else "",
            "text": m.text,
            "fix": m.fix,
            "example": m.example,
        }
        for m in messages
    ]


_NOT_FOUND = re.compile(r"^extends '(\w+)' version (\d+), which is not found")


def _retired_base(problem: Problem) -> Problem:
    """Say that a base the loader does not find is retired, when a stored version is."""
    found = _NOT_FOUND.match(problem.message)
    base = document_lookups.find(found.group(1), int(found.group(2))) if found else None
    if base is None or base.status != "retired":
        return problem
    message = f"extends '{base.questionnaire_id}' version {base.version}, which is retired"
    return replace(problem, message=message, hint="")


# Why a change to a document was refused (documents.DocumentError, id_problem), in Dutch.
_REFUSALS = [
    (
        r"^an id is lower-case",
        "een code heeft alleen kleine letters, cijfers en _, begint met "
        "een letter en is hoogstens 60 tekens lang",
    ),
    (r"^'(\w+)' is the id of a shipped questionnaire", "{0} is de code van een basisscan"),
    (
        r"^'(\w+)' is used by another organisation",
        "{0} is al in gebruik bij een andere organisatie",
    ),
    (r"^'(\w+)' exists already", "{0} bestaat al; open de scan in de lijst"),
    (
        r"^'(\w+)'.* just .* by someone else",
        "iemand anders maakte {0} net; open de scan in de lijst",
    ),
    (r"^the text is too large", "de tekst is te groot"),
    (r"^the text names another id", "de tekst noemt een andere code; er is niets opgeslagen"),
    (r"^the file has errors", "het bestand heeft fouten; er is niets opgeslagen"),
    (r"^someone else is saving", "iemand anders slaat deze scan net op; probeer het zo opnieuw"),
    (r"^the draft has errors", "het concept heeft nog fouten, zie hieronder"),
    (r"has no published version to retire", "er is geen gepubliceerde versie om in te trekken"),
    (
        r"^version (\d+) of '\w+' is (\w+)",
        "versie {0} kan niet meer veranderen; maak een nieuwe versie",
    ),
    (r"^a draft is published with publish", "een concept publiceert u met de knop Publiceren"),
    (
        r"^there is an open draft",
        "er is nog een concept; publiceer of bewaar dat eerst, zodat er geen werk verloren gaat",
    ),
    (r"^nothing of this questionnaire is retired", "er is niets ingetrokken om terug te zetten"),
    (r"^the retired version has errors", "de ingetrokken versie heeft fouten, zie hieronder"),
    (r"^the earlier version has errors", "die versie heeft nu fouten; maak een nieuwe versie"),
]


def refusal(message: str) -> str:
    """Return why a change was refused in Dutch (never the English of the service)."""
    return in_words(_REFUSALS, message, "dit kan nu niet")
