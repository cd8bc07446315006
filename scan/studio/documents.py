"""Questionnaire documents: an organisation's tailored scans as versioned YAML texts.

A draft may be saved with errors; publishing checks it through the same loader as the shipped
files and refuses it while any error remains. A published version never changes: editing makes
a new draft with the next version number. Publishing and retiring raise the catalog generation
(catalog.bump_generation), so every process serves the change within seconds. The caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scan.platform import audit
from scan.platform.catalog import bump_generation
from scan.platform.extensions import db
from scan.platform.locking import RowBusy, lock_row
from scan.platform.models import Organisation, QuestionnaireDocument, User, utcnow
from scan.questionnaire import Catalog, Position, Problem, Questionnaire
from scan.questionnaire.loader import check_text
from scan.questionnaire.located import locate
from scan.studio import draft_history
from scan.studio.document_texts import set_extends_version, set_version
from scan.studio.publish_checks import publish_problems
from scan.studio.starter import starter_overlay
from scan.studio.translation_checks import translation_problems
from scan.studio.translation_rows import copy_translations

MAX_SOURCE_BYTES = 256 * 1024
ID_PATTERN = r"[a-z][a-z0-9_]{0,59}"  # as the format's ids


class DocumentError(Exception):
    """A change to a document that cannot be made; carries the problems when there are any."""

    def __init__(self, message: str, problems: list[Problem] | None = None, status: int = 422):
        self.message = message
        self.problems = problems or []
        self.status = status  # the HTTP status a web front end answers with
        super().__init__(message)


class DraftConflict(DocumentError):
    """The draft was saved by someone else since the author read it (the revision moved)."""


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


def actor_name(actor: User | str) -> str:
    """Return how an actor is recorded: the account's e-mail, or a name such as 'cli'."""
    return actor.email if isinstance(actor, User) else actor


# --- reading ---------------------------------------------------------------------------------


def documents_of(organisation_id: int | None) -> list[QuestionnaireDocument]:
    """Return the documents of one organisation (every organisation for None), newest first."""
    query = select(QuestionnaireDocument).order_by(
        QuestionnaireDocument.questionnaire_id, QuestionnaireDocument.version.desc()
    )
    if organisation_id is not None:
        query = query.where(QuestionnaireDocument.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def get_document(public_id: str, organisation_id: int | None) -> QuestionnaireDocument | None:
    """Return a document by public id, only within the organisation (any for None)."""
    query = select(QuestionnaireDocument).where(QuestionnaireDocument.public_id == public_id)
    if organisation_id is not None:
        query = query.where(QuestionnaireDocument.organisation_id == organisation_id)
    return db.session.scalar(query)


def versions_of(questionnaire_id: str) -> list[QuestionnaireDocument]:
    """Return every version of a questionnaire id, newest first."""
    query = (
        select(QuestionnaireDocument)
        .where(QuestionnaireDocument.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireDocument.version.desc())
    )
    return list(db.session.scalars(query))


def find(questionnaire_id: str, version: int | None = None) -> QuestionnaireDocument | None:
    """Return one version of a questionnaire id (the newest published one for None)."""
    query = select(QuestionnaireDocument).where(
        QuestionnaireDocument.questionnaire_id == questionnaire_id
    )
    if version is None:
        query = query.where(QuestionnaireDocument.status == "published")
    else:
        query = query.where(QuestionnaireDocument.version == version)
    return db.session.scalar(query.order_by(QuestionnaireDocument.version.desc()).limit(1))


def draft_of(questionnaire_id: str) -> QuestionnaireDocument | None:
    """Return the open draft of a questionnaire id, if there is one."""
    return db.session.scalar(
        select(QuestionnaireDocument).where(
            QuestionnaireDocument.questionnaire_id == questionnaire_id,
            QuestionnaireDocument.status == "draft",
        )
    )


def published_of(organisation_id: int) -> list[QuestionnaireDocument]:
    """Return the newest published version of each of an organisation's questionnaires."""
    newest = (
        select(QuestionnaireDocument.questionnaire_id, func.max(QuestionnaireDocument.version))
        .where(
            QuestionnaireDocument.organisation_id == organisation_id,
            QuestionnaireDocument.status == "published",
        )
        .group_by(QuestionnaireDocument.questionnaire_id)
    )
    keys = set(db.session.execute(newest).all())
    return [
        d
        for d in documents_of(organisation_id)
        if d.status == "published" and (d.questionnaire_id, d.version) in keys
    ]


# --- checking --------------------------------------------------------------------------------


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
    problems = []
    if data.get("id") != doc.questionnaire_id:
        problems.append(
            Problem(
                f"this document is '{doc.questionnaire_id}'; its id cannot change",
                locate(data, ("id",)),
                "id",
                f"write 'id: {doc.questionnaire_id}', or start a new tailored scan for a new id",
            )
        )
    if data.get("version") != doc.version:
        problems.append(
            Problem(
                f"this draft becomes version {doc.version}",
                locate(data, ("version",)),
                "version",
                f"write 'version: {doc.version}'",
            )
        )
    return problems


# --- changing --------------------------------------------------------------------------------


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


def create_draft(
    organisation: Organisation,
    actor: User | str,
    questionnaire_id: str,
    base: Questionnaire,
    catalog: Catalog,
) -> QuestionnaireDocument:
    """Create version 1 of a new tailored scan: a starter overlay on a published base."""
    problem = id_problem(questionnaire_id, organisation, catalog)
    if problem is None and versions_of(questionnaire_id):
        problem = f"'{questionnaire_id}' exists already; open it in the list"
    if problem:
        raise DocumentError(problem)
    doc = QuestionnaireDocument(
        questionnaire_id=questionnaire_id,
        version=1,
        organisation=organisation,
        status="draft",
        source=starter_overlay(questionnaire_id, base, organisation.name),
        title=f"{base.title} ({organisation.name})",
        base_id=base.id,
        base_version=base.version,
        saved_by=actor_name(actor),
        saved_at=utcnow(),
    )
    if not _insert(doc):
        raise DocumentError(
            f"'{questionnaire_id}' was just made by someone else; open it in the list"
        )
    return doc


def _insert(doc: QuestionnaireDocument) -> bool:
    """Store a new row; False when another request stored the same id and version first."""
    try:
        with db.session.begin_nested():
            db.session.add(doc)
    except IntegrityError:
        return False
    return True


def save(
    doc: QuestionnaireDocument,
    text: str,
    actor: User | str,
    catalog: Catalog,
    read_revision: int | None = None,
) -> Report:
    """Store a draft's new text (errors and all, so no work is lost); return the check.

    A text that names another id is refused whole: a document's id never changes. The text is
    stored under the document's lock, so a publish at the same moment sees it whole or not;
    when the author read an older revision than stored, it is a DraftConflict (409).
    """
    report = check_document(doc, text, catalog)
    if any(p.message.startswith("the text is ") for p in report.errors):
        raise DocumentError("the text is too large", report.errors, 413)
    if any(p.path == "id" for p in report.errors):
        raise DocumentError("the text names another id; nothing was stored", report.errors)
    doc = lock_document(doc)
    _require_draft(doc)
    if read_revision is not None and read_revision != doc.revision:
        raise DraftConflict("someone else saved this draft meanwhile", status=409)
    _store(doc, text, report, actor)
    return report


def upload(doc: QuestionnaireDocument, text: str, actor: User | str, catalog: Catalog) -> Report:
    """Replace a draft's text with an uploaded file; refuse it whole while it has errors."""
    report = check_document(doc, text, catalog)
    if report.errors:
        raise DocumentError("the file has errors; nothing was stored", report.errors)
    doc = lock_document(doc)
    _require_draft(doc)
    _store(doc, text, report, actor)
    return report


def lock_document(doc: QuestionnaireDocument) -> QuestionnaireDocument:
    """Lock a document's row until the caller commits (save and publish take turns)."""
    try:
        return lock_row(QuestionnaireDocument, doc.id)
    except RowBusy as error:
        raise DocumentError("someone else is saving this document", status=409) from error


def _store(doc: QuestionnaireDocument, text: str, report: Report, actor: User | str) -> None:
    draft_history.keep(doc, text, actor_name(actor))
    doc.source = text
    data = report.data if isinstance(report.data, dict) else {}
    if report.questionnaire is not None:
        doc.title = report.questionnaire.title[:300]
    extends = data.get("extends") if isinstance(data.get("extends"), dict) else {}
    if isinstance(extends.get("id"), str) and isinstance(extends.get("version"), int):
        doc.base_id, doc.base_version = extends["id"], extends["version"]
    doc.saved_by = actor_name(actor)
    doc.saved_at = utcnow()


def publish(doc: QuestionnaireDocument, actor: User | str, catalog: Catalog) -> Report:
    """Publish a draft; refuse it while it has errors, a failing example or an unverified referral.
    Under the lock: the text checked is the text published; no save changes it in between."""
    doc = lock_document(doc)
    _require_draft(doc)
    problem = id_problem(doc.questionnaire_id, doc.organisation, catalog)
    if problem:
        raise DocumentError(problem)
    report = check_document(doc, doc.source, catalog)
    report.problems += publish_problems(report.questionnaire, report.data, doc.file_name)
    report.problems += translation_problems(doc, report.questionnaire, catalog)
    if report.errors:
        raise DocumentError("the draft has errors; it was not published", report.errors)
    now = utcnow()
    doc.status = "published"
    doc.published_by = actor_name(actor)
    doc.published_at = now
    if report.questionnaire is not None:
        doc.title = report.questionnaire.title[:300]
    bump_generation()
    return report


def retire(doc: QuestionnaireDocument, actor: User | str) -> int:
    """Retire every published version of a document's questionnaire; return how many."""
    rows = [d for d in versions_of(doc.questionnaire_id) if d.status == "published"]
    if not rows:
        raise DocumentError(f"'{doc.questionnaire_id}' has no published version to retire")
    now = utcnow()
    for row in rows:
        row.status = "retired"
        row.retired_by = actor_name(actor)
        row.retired_at = now
    bump_generation()
    return len(rows)


def new_draft(doc: QuestionnaireDocument, actor: User | str) -> QuestionnaireDocument:
    """Return the open draft of this questionnaire, or make one from this version's text."""
    existing = draft_of(doc.questionnaire_id)
    if existing is not None:
        return existing
    version = max(d.version for d in versions_of(doc.questionnaire_id)) + 1
    draft = QuestionnaireDocument(
        questionnaire_id=doc.questionnaire_id,
        version=version,
        organisation_id=doc.organisation_id,
        status="draft",
        source=set_version(doc.source, version),
        title=doc.title,
        base_id=doc.base_id,
        base_version=doc.base_version,
        saved_by=actor_name(actor),
        saved_at=utcnow(),
    )
    if not _insert(draft):  # someone opened the same new version at the same moment
        return draft_of(doc.questionnaire_id) or draft
    copy_translations(doc, draft)
    return draft


def rebase(
    doc: QuestionnaireDocument, actor: User | str, base_version: int
) -> QuestionnaireDocument:
    """Return a draft of this questionnaire that extends the given version of its base."""
    draft = new_draft(doc, actor)
    text = set_extends_version(draft.source, base_version)
    draft_history.keep(draft, text, actor_name(actor))  # a new revision: an older tab conflicts
    draft.source = text
    draft.base_version = base_version
    draft.saved_by = actor_name(actor)
    draft.saved_at = utcnow()
    return draft


def import_text(
    organisation: Organisation, actor: User | str, text: str, catalog: Catalog
) -> tuple[QuestionnaireDocument, Report]:
    """Store a questionnaire text as the next draft of its id; refuse it whole on any error."""
    probe = check(text, "import.yaml", catalog)
    data = probe.data if isinstance(probe.data, dict) else {}
    qid = data.get("id")
    if not isinstance(qid, str):
        raise DocumentError("the file has errors; nothing was stored", probe.errors)
    problem = id_problem(qid, organisation, catalog)
    if problem:
        raise DocumentError(problem)
    versions = versions_of(qid)
    draft = draft_of(qid)
    if draft is None:
        version = max((d.version for d in versions), default=0) + 1
        draft = QuestionnaireDocument(
            questionnaire_id=qid,
            version=version,
            organisation=organisation,
            status="draft",
            source="",
            saved_by=actor_name(actor),
        )
    report = check_document(draft, text, catalog)
    if report.errors:
        raise DocumentError("the file has errors; nothing was stored", report.errors)
    _store(draft, text, report, actor)
    if draft.id is None and not _insert(draft):
        raise DocumentError(f"'{qid}' version {draft.version} was just stored by someone else")
    return draft, report


def _require_draft(doc: QuestionnaireDocument) -> None:
    if doc.status != "draft":
        raise DocumentError(
            f"version {doc.version} of '{doc.questionnaire_id}' is {doc.status}; "
            "only a draft can change (make a new version)"
        )


def record(actor: User, action: str, doc: QuestionnaireDocument) -> None:
    """Put a change or look at a document in the audit log and commit it with the change."""
    audit.record(actor, action, detail=f"{doc.organisation.name}: {doc.file_name}")
    db.session.commit()


def drop_changes() -> None:
    """Forget what a refused change left in the session (a DocumentError was raised)."""
    db.session.rollback()
