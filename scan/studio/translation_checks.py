"""How far a document's translations are, and what publish refuses or warns about in them.

Per language (en, pl): the overlay's own texts (overlay_translations.own_texts), how many have
a current translation, which are missing, which are outdated (the Dutch changed since: the
stored msgid differs, or the entry is marked fuzzy, as in the shipped .po files), and what is
wrong (unsafe, an unknown id, a lost phone number or placeholder, a broken file). Publish is
refused on any such error and warns, without refusing, about a language that is incomplete
or outdated (`translation_problems`). Reading only; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scan.platform.models import QuestionnaireDocument
from scan.questionnaire import Catalog, Position, Problem, Questionnaire, UnknownQuestionnaire
from scan.questionnaire.languages_readability import translation_warnings
from scan.questionnaire.overlay_translations import author_translation, own_texts, parse_po
from scan.questionnaire.translated import kept_names
from scan.questionnaire.translations import LANGUAGE_NAMES, LANGUAGES
from scan.studio.translation_rows import texts_of


@dataclass
class Outdated:
    """A translation whose Dutch text changed since it was written."""

    path: str
    dutch: str
    old_dutch: str
    translation: str


@dataclass
class LanguageFigures:
    """One language of one document, for the Talen tab, the check and the confirm page."""

    language: str
    total: int
    done: int
    exists: bool
    missing: list[tuple[str, str]] = field(default_factory=list)
    outdated: list[Outdated] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    readability: list[str] = field(default_factory=list)  # B1 for all texts together

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total

    @property
    def complete(self) -> bool:
        return self.done == self.total and not self.errors


def po_name(doc: QuestionnaireDocument, language: str) -> str:
    """Return the name positions and downloads use: <id>@<version>.<lang>.po."""
    return f"{doc.questionnaire_id}@{doc.version}.{language}.po"


def base_questionnaire(doc: QuestionnaireDocument, catalog: Catalog) -> Questionnaire | None:
    """Return the shipped or published questionnaire the document extends, if it loads."""
    if not doc.base_id:
        return None
    try:
        return catalog.get(doc.base_id, doc.base_version)
    except UnknownQuestionnaire:
        return None


def document_own_texts(
    doc: QuestionnaireDocument, q: Questionnaire, catalog: Catalog
) -> list[tuple[str, str]]:
    """Return the texts the author of this document translates."""
    return own_texts(q, base_questionnaire(doc, catalog), catalog.registry.values())


def figures(
    doc: QuestionnaireDocument, q: Questionnaire, catalog: Catalog, stored: dict | None = None
) -> list[LanguageFigures]:
    """Return per language how far the document's translation is (stored: language -> .po)."""
    own = document_own_texts(doc, q, catalog)
    stored = texts_of(doc) if stored is None else stored
    found = [_language(doc, own, language, stored.get(language)) for language in LANGUAGES]
    names = kept_names(catalog.registry.values())
    for item, language in zip(found, LANGUAGES, strict=True):
        texts = author_translation(own, stored.get(language), language, "").texts
        item.readability = [
            p.message for p in translation_warnings(texts, language, "", None, names) if not p.path
        ]
    return found


def _language(
    doc: QuestionnaireDocument, own: list[tuple[str, str]], language: str, po_text: str | None
) -> LanguageFigures:
    checked = author_translation(own, po_text, language, po_name(doc, language))
    entries = _entries(po_text)
    result = LanguageFigures(language, len(own), checked.done, bool(po_text))
    for path, dutch in own:
        old_dutch, translation, fuzzy = entries.get(path, ("", "", False))
        if path in checked.texts:
            continue
        if translation and (fuzzy or old_dutch != dutch):
            result.outdated.append(Outdated(path, dutch, old_dutch, translation))
        elif not translation:
            result.missing.append((path, dutch))
    gaps = {item.path for item in result.outdated} | {path for path, _ in result.missing}
    result.errors = [p for p in checked.problems if p.path not in gaps]
    return result


def _entries(po_text: str | None) -> dict[str, tuple[str, str, bool]]:
    """Return the stored entries by id path: (Dutch it translated, translation, fuzzy)."""
    if not po_text:
        return {}
    catalog, _ = parse_po(po_text, "")
    if catalog is None:
        return {}
    return {
        m.context: (_old_dutch(m), str(m.string or ""), m.fuzzy)
        for m in catalog
        if m.id and m.context
    }


def _old_dutch(message) -> str:
    """Return the Dutch a translation was written for: `#| msgid` when marked, else msgid."""
    previous = message.previous_id
    if isinstance(previous, (list, tuple)):
        previous = previous[0] if previous else ""
    return str(previous or message.id)


def translation_problems(
    doc: QuestionnaireDocument, q: Questionnaire | None, catalog: Catalog
) -> list[Problem]:
    """Return what publish refuses (errors) and warns about (an incomplete language)."""
    if q is None:
        return []
    problems: list[Problem] = []
    for item in figures(doc, q, catalog):
        problems.extend(item.errors)
        if item.exists and not item.complete:
            problems.append(gap_warning(doc, item))
    return problems


def gap_warning(doc: QuestionnaireDocument, item: LanguageFigures) -> Problem:
    """Return the warning for a language that is incomplete or outdated."""
    parts = []
    if item.missing:
        parts.append(f"{len(item.missing)} nog niet vertaald")
    if item.outdated:
        parts.append(f"{len(item.outdated)} verouderd")
    return Problem(
        f"de vertaling in het {item.name} is niet af: {item.done} van {item.total} teksten "
        f"klaar ({', '.join(parts) or 'met fouten'}); wie de scan in het {item.name} kiest, "
        "leest hem in het Nederlands",
        Position(po_name(doc, item.language), 1, 1),
        hint="maak de vertaling af op het tabblad Talen",
        severity="warning",
    )


_KINDS = {
    "questionnaire": "De scan",
    "theme": "Thema",
    "question": "Vraag",
    "option": "Antwoord bij vraag",
    "rule": "Advies",
    "risk_level": "Risiconiveau",
    "red_flag": "Rode vlag",
    "referral": "Verwijzing",
}
_FIELDS = {
    "title": "titel",
    "sector": "sector",
    "introduction": "inleiding",
    "description": "beschrijving",
    "text": "tekst",
    "help": "uitleg",
    "error_message": "foutmelding",
    "label": "naam",
    "explanation": "uitleg",
    "avoid": "wat u niet doet",
    "name": "naam",
    "contact": "contact",
    "when": "wanneer",
    "unit": "eenheid",
    "min_label": "laagste stand",
    "max_label": "hoogste stand",
    "steps": "stap",
    "today": "vandaag",
}


def describe(path: str) -> str:
    """Return an id path in Dutch words: 'rule:r1.advice.steps.0' -> 'Advies r1, stap 1'."""
    if ":" in path:
        kind, _, rest = path.partition(":")
        item, *parts = rest.split(".")
        head = f"{_KINDS.get(kind, kind)} {item}"
    else:
        kind, *parts = path.split(".")
        head = _KINDS.get(kind, kind)
    words: list[str] = []
    for part in parts:
        if part.isdigit() and words:
            words[-1] += f" {int(part) + 1}"
        elif part in _FIELDS:
            words.append(_FIELDS[part])
        elif part not in ("advice", "scale", "number"):
            words.append(part)
    return ", ".join([head, *words])
