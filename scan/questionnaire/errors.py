"""The exception tree and the located problem reports that the CLI and the web show."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in a source file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a questionnaire, with where and how to fix it."""

    message: str
    position: Position | None = None
    path: str = ""
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = str(self.position) if self.position else "<unknown>"
        text = f"{where}: {self.severity}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ScanError(Exception):
    """Base of every error the product raises on purpose."""


class QuestionnaireError(ScanError):
    """A questionnaire (or overlay, or registry) is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid questionnaire")


class ExpressionError(ScanError):
    """An expression failed to parse or type-check."""

    def __init__(self, message: str, hint: str = "", symbol: str = ""):
        self.message = message
        self.hint = hint
        self.symbol = symbol  # the unknown question id, when that is what is wrong
        super().__init__(message)


class AnswersError(ScanError):
    """Answers do not fit the questionnaire; carries every problem, its path the question id."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """Return each problem as one line: 'question id: what is wrong (hint)'."""
        return [
            (f"{p.path}: " if p.path else "") + p.message + (f" ({p.hint})" if p.hint else "")
            for p in self.problems
        ]


class UnknownQuestionnaire(ScanError):
    """No questionnaire with that id (and version) is loaded."""


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """Return a 'did you mean ...' hint for a misspelt id, or an empty string."""
    if not isinstance(word, str):
        return ""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
