"""The studio's rows of author messages: each problem of a check in Dutch, on a line of the text."""

from __future__ import annotations

from typing import Any

from scan.questionnaire.author_messages import author_messages
from scan.studio.documents import Report


def message_rows(report: Report | None, name: str, text: str = "") -> list[dict[str, Any]]:
    """Return the report's problems as rows for the page, each at a line of the author's text."""
    if report is None:
        return []
    checked = report.checked
    messages = author_messages(
        report.problems,
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
