"""Changing a draft's translations: edits from the Talen tab, a .po file out and back in.

Each change takes the document's row lock (as a save of the text does) and compares the
revision of the language's row that the form read: a translation saved meanwhile by someone
else is a DraftConflict, never an overwrite. What is stored is always the normalised gettext
text of the own texts (translation_files.updated_catalog, as `questionnaires translations`
writes the shipped files): a translation whose Dutch changed keeps its text, marked fuzzy with
the old Dutch as `#| msgid`, until the author confirms or rewrites it. An import is refused
whole on any error (nothing stored, the messages located in the file); its outdated entries
are kept marked, never silently accepted. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.pofile import write_po

from scan.platform.draft_models import DocumentTranslation
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument, User
from scan.platform.stamps import utcnow
from scan.questionnaire import Catalog, Problem, Questionnaire
from scan.questionnaire.overlay_translations import parse_po
from scan.questionnaire.translation_files import updated_catalog
from scan.questionnaire.translations import LANGUAGE_NAMES, LANGUAGES, check_translation
from scan.studio import documents
from scan.studio.translation_checks import document_own_texts, po_name
from scan.studio.translation_rows import rows_of

MAX_PO_BYTES = documents.MAX_SOURCE_BYTES


class TranslationError(documents.DocumentError):
    """A translation change refused, with its reason already in Dutch for the author."""


def language_or_none(language: str) -> str | None:
    """Return the language when a document may have a translation in it (en, pl)."""
    return language if language in LANGUAGES else None


def loaded(doc: QuestionnaireDocument, catalog: Catalog) -> Questionnaire:
    """Return the document's questionnaire; a text with errors cannot be translated yet."""
    report = documents.check_document(doc, doc.source, catalog)
    if report.questionnaire is None or report.errors:
        raise TranslationError("de scan heeft nog fouten; los die eerst op in de tekst")
    return report.questionnaire


def revision_of(doc: QuestionnaireDocument, language: str) -> int:
    """Return the revision of the document's translation in a language (0: none yet)."""
    row = rows_of(doc).get(language)
    return row.revision if row is not None else 0


def po_text(
    doc: QuestionnaireDocument, language: str, catalog: Catalog, stored: PoCatalog | None
) -> str:
    """Return the normalised .po text of the own texts with the stored (or given) entries."""
    own = document_own_texts(doc, loaded(doc, catalog), catalog)
    normal = updated_catalog(own, stored, language, doc.questionnaire_id)
    normal.version = str(doc.version)
    normal.creation_date = normal.revision_date = doc.saved_at.replace(tzinfo=dt.UTC)
    normal.header_comment = (
        f"# {LANGUAGE_NAMES[language]}e vertaling van de branchescan {doc.questionnaire_id}, "
        f"versie {doc.version}.\n# msgctxt: de id van de tekst; msgid: het Nederlands; "
        "msgstr: de vertaling."
    )
    buffer = BytesIO()
    write_po(buffer, normal, width=100, include_previous=True)
    return buffer.getvalue().decode("utf-8")


def _stored_catalog(doc: QuestionnaireDocument, language: str) -> PoCatalog | None:
    row = rows_of(doc).get(language)
    return parse_po(row.source, "")[0] if row is not None else None


def current_texts(doc: QuestionnaireDocument, language: str) -> dict[str, str]:
    """Return the stored translations by id path (outdated ones included, to show them)."""
    stored = _stored_catalog(doc, language)
    return {m.context: str(m.string) for m in stored or [] if m.context and m.string}


def export(doc: QuestionnaireDocument, language: str, catalog: Catalog) -> str:
    """Return the .po file for a translator: every own text, translated or not."""
    return po_text(doc, language, catalog, _stored_catalog(doc, language))


def save_texts(
    doc: QuestionnaireDocument,
    language: str,
    posted: dict[str, str],
    confirmed: set[str],
    actor: User,
    catalog: Catalog,
    read_revision: int | None,
) -> None:
    """Store the edited translations (id path -> text); keep every text not posted.

    A translation left as it was stays outdated unless its id path is in confirmed."""
    doc = _locked_draft(doc, language, read_revision)
    stored = _stored_catalog(doc, language)
    previous = {m.context: m for m in stored or [] if m.id and m.context}
    edited = PoCatalog(locale=language)
    for path, dutch in document_own_texts(doc, loaded(doc, catalog), catalog):
        before = previous.get(path)
        text = posted.get(path)
        if text is None and before is not None and path in confirmed:
            text = str(before.string)
        unchanged = before is not None and text == before.string and path not in confirmed
        if text is None or unchanged:
            if before is not None:
                edited.add(
                    before.id,
                    before.string,
                    context=path,
                    flags=before.flags,
                    previous_id=before.previous_id,
                )
        elif text.strip():
            edited.add(dutch, text.strip(), context=path)
    _store(doc, language, po_text(doc, language, catalog, edited), actor)


def import_po(
    doc: QuestionnaireDocument,
    language: str,
    data: bytes,
    actor: User,
    catalog: Catalog,
    read_revision: int | None,
) -> list[Problem]:
    """Store an uploaded .po file as the translation; return its warnings (outdated, missing).

    Refused whole (DocumentError with located Dutch problems, nothing stored) on a file too
    large or unreadable, an unknown id, a lost phone number or placeholder, an unsafe text."""
    name = po_name(doc, language)
    if not data.strip():
        raise TranslationError("kies eerst een vertaalbestand (.po)")
    if len(data) > MAX_PO_BYTES:
        raise TranslationError(f"het bestand is groter dan {MAX_PO_BYTES // 1024} KiB", status=413)
    uploaded, problems = parse_po(data, name)
    if uploaded is None:
        raise TranslationError("het bestand kan niet worden gelezen", problems)
    other = str(uploaded.locale or language).split("_")[0]
    if other != language:
        raise TranslationError(
            f"dit bestand is een vertaling in een andere taal ({other}), niet in het "
            f"{LANGUAGE_NAMES[language]}"
        )
    own = document_own_texts(doc, loaded(doc, catalog), catalog)
    checked = check_translation(own, uploaded, name, language)
    errors = [p for p in checked.problems if not _gap(p)]
    if errors:
        raise TranslationError("het bestand heeft fouten; er is niets opgeslagen", errors)
    doc = _locked_draft(doc, language, read_revision)
    _store(doc, language, po_text(doc, language, catalog, uploaded), actor)
    return [p for p in checked.problems if _gap(p)]


def _gap(problem: Problem) -> bool:
    """Tell a missing or outdated text (stored, marked) from an error (refused)."""
    return "geen vertaling" in problem.message or "verouderd" in problem.message


def _locked_draft(
    doc: QuestionnaireDocument, language: str, read_revision: int | None
) -> QuestionnaireDocument:
    doc = documents.lock_document(doc)
    if doc.status != "draft":
        raise TranslationError("alleen een concept kan veranderen; maak een nieuwe versie")
    if read_revision is not None and read_revision != revision_of(doc, language):
        raise documents.DraftConflict("someone else saved this translation meanwhile", status=409)
    return doc


def _store(doc: QuestionnaireDocument, language: str, text: str, actor: User) -> None:
    row = rows_of(doc).get(language)
    saved_by, now = documents.actor_name(actor), utcnow()
    if row is None:
        db.session.add(
            DocumentTranslation(
                document_id=doc.id,
                language=language,
                source=text,
                revision=1,
                saved_by=saved_by,
                saved_at=now,
            )
        )
        return
    row.source = text
    row.revision += 1
    row.saved_by = saved_by
    row.saved_at = now
