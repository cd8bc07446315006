"""Find texts that send the reader towards a possible criminal.

Advice must never send an entrepreneur to confront, question or follow someone who may be a
criminal, to go and look alone, or to investigate on their own: that is how people get hurt
or warn the criminals off. The safe steps are: keep away, write down what you saw, report
(112 when there is danger, the police or Meld Misdaad Anoniem). ``REFUSED`` lists the
phrasings that break this rule; the content guide in ``questionnaires/README.md`` explains
it to authors. A sentence that says *not* to do it ("Spreek niemand aan") is fine for the
patterns marked ``negatable``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_NEGATION = re.compile(r"\b(niet|nooit|geen|niemand|niets)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?;\n]+")
_PEOPLE = (
    r"(de |het |die |een |deze )?(persoon|personen|mensen|man|vrouw|auto|wagen|busje|busjes"
    r"|verdachte|verdachten|huurder|huurders|koper|onbekende|onbekenden|dader|daders"
    r"|crimine\w*|hem|haar|hen|ze)"
)


@dataclass(frozen=True)
class Refused:
    """A phrasing advice may not use, why, and whether a negated sentence is fine."""

    pattern: re.Pattern[str]
    why: str
    negatable: bool


def _refused(pattern: str, why: str, negatable: bool = True) -> Refused:
    return Refused(re.compile(pattern, re.IGNORECASE), why, negatable)


REFUSED: tuple[Refused, ...] = (
    _refused(r"\bconfront\w*", "sends the reader to confront someone", negatable=False),
    _refused(r"\b(ga|gaat|gaan)\b[^.]{0,70}\blangs\b", "sends the reader to go and look"),
    _refused(r"\blangsgaan\b", "sends the reader to go and look"),
    _refused(
        r"\b(ga|gaat|gaan)\s+(\w+\s+)?(niet\s+)?alleen\b",
        "'(niet) alleen gaan' still sends the reader to go",
        negatable=False,
    ),
    _refused(r"\bspreek\b(?![^.]*\baf\b)[^.]{0,60}\baan\b", "sends the reader to confront someone"),
    _refused(r"\baanspreken\b", "sends the reader to confront someone"),
    _refused(
        r"\bvraag\w*\b[^.]{0,90}\bwaar\b[^.]{0,30}\bgeld\b",
        "sends the reader to question someone about criminal money",
    ),
    _refused(r"\bvraag\w*\b[^.]{0,40}\bwaarom\b", "sends the reader to question a suspect"),
    _refused(r"\bvraag\w*\s+(\w+\s+)?door\b", "sends the reader to question a suspect"),
    _refused(r"\bachtervolg\w*", "sends the reader after someone", negatable=False),
    _refused(rf"\bvolg\w*\s+{_PEOPLE}\b", "sends the reader after someone"),
    _refused(r"\bop onderzoek\b", "sends the reader to investigate on their own"),
    _refused(r"\bzelf\b[^.]{0,30}\bonderzoek\w*", "sends the reader to investigate on their own"),
    _refused(r"\bga\b[^.]{0,30}\bnaar binnen\b", "sends the reader into a possible crime scene"),
)


@dataclass(frozen=True)
class Finding:
    """One refused phrasing found in one text."""

    where: str
    text: str
    sentence: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}: {self.sentence.strip()!r}"


def check_sentence(sentence: str) -> list[str]:
    """Return why a sentence is refused (empty when it is fine)."""
    negated = bool(_NEGATION.search(sentence))
    return [
        rule.why
        for rule in REFUSED
        if rule.pattern.search(sentence) and not (rule.negatable and negated)
    ]


def unsafe_texts(texts: Iterable[tuple[str, str]]) -> Iterator[Finding]:
    """Yield every sentence in (path, text) pairs that uses a refused phrasing."""
    for where, text in texts:
        for match in _SENTENCE.finditer(text):
            for why in check_sentence(match.group()):
                yield Finding(where, text, match.group(), why)
