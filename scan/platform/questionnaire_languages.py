"""The questionnaire a reader sees: in the page's language when its translation is complete.

A scan in English or Polish shows its questionnaire in that language only when the
translation (questionnaires/<id>.<lang>.po and referrals.<lang>.po) is complete and current
for the exact Dutch texts of the version the scan is pinned to. Otherwise the whole
questionnaire stays Dutch, and the page says so (`in_dutch` is set for the layout's notice):
the entrepreneur never reads a page that mixes languages in the questionnaire's own texts.
A published branch document reads its author's translations for its own texts and the base's
shipped ones for the rest (overlay_translations.py), by the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import current_app, g
from sqlalchemy import select

from scan.platform.cache import lru
from scan.platform.catalog import get_catalog
from scan.platform.draft_models import DocumentTranslation
from scan.platform.extensions import db
from scan.platform.languages import DEFAULT, current_language
from scan.platform.models import QuestionnaireDocument
from scan.questionnaire import Questionnaire, UnknownQuestionnaire
from scan.questionnaire.overlay_translations import OverlaySources, overlay_in_language
from scan.questionnaire.translated import REGISTRY_STEM, in_language, translation_file

# A questionnaire in another language, keyed on the Dutch questionnaire object, the language
# and the name, time and size of both translation files. Safe: a changed file changes the key,
# and the value keeps the Dutch object, so a reused id() is caught (`cached[0] is q`).
_translated = lru("questionnaires in other languages", 64)


def _file_state(folder: Path, q: Questionnaire, language: str) -> tuple:
    state = []
    for name in (q.id, REGISTRY_STEM):
        path = translation_file(folder, name, language)
        if path.exists():
            stat = path.stat()
            state.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(state)


def translated(q: Questionnaire, language: str) -> Questionnaire | None:
    """Return q in the language, or None when it has no complete translation (or is Dutch)."""
    if language == DEFAULT:
        return None
    folder = Path(current_app.config["QUESTIONNAIRE_DIR"])
    catalog = get_catalog()
    if catalog.owners.get((q.id, q.version)):
        return _document_translated(q, language, folder)
    state = _file_state(folder, q, language)
    if not state:
        return None
    key = (id(q), language, state)
    cached = _translated.get(key)
    if cached is not None and cached[0] is q:
        return cached[1]
    return _translated.put(key, (q, in_language(q, language, folder)))[1]


def _document_translated(q: Questionnaire, language: str, folder: Path) -> Questionnaire | None:
    """Return a published branch document in the language: the author's translations for its
    own texts, the base's shipped ones for the rest; None (Dutch whole) when any is missing.
    Keyed on the document's row and its stored translations, so another database's document
    with the same text (tests) never reads this one's."""
    row = db.session.execute(
        select(QuestionnaireDocument.id, QuestionnaireDocument.base_id)
        .add_columns(QuestionnaireDocument.base_version)
        .where(
            QuestionnaireDocument.questionnaire_id == q.id,
            QuestionnaireDocument.version == q.version,
        )
    ).first()
    if row is None:
        return None
    texts = dict(
        db.session.execute(
            select(DocumentTranslation.language, DocumentTranslation.source).where(
                DocumentTranslation.document_id == row[0]
            )
        ).all()
    )
    key = (id(q), language, tuple(row), tuple(sorted(texts.items())))
    cached = _translated.get(key)
    if cached is not None and cached[0] is q:
        return cached[1]
    catalog = get_catalog()
    try:
        base = catalog.get(row[1], row[2]) if row[1] else None
    except UnknownQuestionnaire:
        base = None
    sources = OverlaySources(base, tuple(catalog.registry.values()), folder, texts)
    return _translated.put(key, (q, overlay_in_language(q, language, sources)))[1]


def for_reader(q: Questionnaire, language: str) -> Questionnaire:
    """Return q as the entrepreneur reads it: translated, else Dutch (noted for the page)."""
    found = translated(q, language)
    if found is None and language != DEFAULT:
        g.questionnaire_in_dutch = True
    return found or q


def in_page_language(questionnaires: Iterable[Questionnaire]) -> list[tuple[Questionnaire, bool]]:
    """Return each questionnaire in the page's language where complete, with True where it is
    still Dutch only (a list of sectors says so per sector, not for the page)."""
    language = current_language()
    shown = []
    for q in questionnaires:
        found = translated(q, language)
        shown.append((found or q, found is None and language != DEFAULT))
    return shown
