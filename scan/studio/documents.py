"""Questionnaire documents: an organisation's tailored scans as versioned YAML texts.

A draft may be saved with errors; publishing checks it through the same loader as the shipped
files and refuses it while any error remains. A published version never changes: editing makes
a new draft with the next version number. Publishing and retiring raise the catalog generation
(catalog.bump_generation), so every process serves the change within seconds. The caller commits.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from scan.platform import audit
from scan.platform.catalog import bump_generation
from scan.platform.extensions import db
from scan.platform.locking import RowBusy, lock_row
from scan.platform.models import Organisation, QuestionnaireDocument, User, utcnow
from scan.questionnaire import Catalog, Problem, Questionnaire
from scan.studio import draft_history
from scan.studio.document_checks import Report, check, check_document, id_problem
from scan.studio.document_lookups import draft_of, versions_of
from scan.studio.document_texts import set_extends_version, set_version
from scan.studio.publish_checks import publish_problems
from scan.studio.starter import starter_overlay
from scan.studio.translation_checks import translation_problems
from scan.studio.translation_rows import copy_translations


class DocumentError(Exception):
    """A change to a document that cannot be made; carries the problems when there are any."""

    def __init__(self, message: str, problems: list[Problem] | None = None, status: int = 422):
        self.message = message
        self.problems = problems or []
        self.status = status  # the HTTP status a web front end answers with
        super().__init__(message)


class DraftConflict(DocumentError):
    """The draft was saved by someone else since the author read it (the revision moved)."""


def actor_name(actor: User | str) -> str:
    """Return how an actor is recorded: the account's e-mail, or a name such as 'cli'."""
    return actor.email if isinstance(actor, User) else actor


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
