"""flask questionnaires list, test, import, export, publish and retire: the studio's CLI twin."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from scan.platform.audit import record
from scan.platform.catalog import invalidate
from scan.platform.commands import catalog_or_exit, questionnaire_folder, questionnaires
from scan.platform.extensions import db
from scan.portal.accounts import get_organisation
from scan.questionnaire import QuestionnaireError
from scan.questionnaire.acute import describe as describe_acute
from scan.questionnaire.loader import load_questionnaires, questionnaire_paths
from scan.studio import document_lookups, documents
from scan.studio.document_lookups import documents_of
from scan.studio.examples import run_examples


def register(app: Flask) -> None:
    """Nothing to add: the commands hang on the questionnaires group the platform registers."""


@questionnaires.command("list")
def list_command() -> None:
    """List the questionnaires: source (file or organisation), status and contents."""
    catalog = catalog_or_exit()
    for q in catalog.latest.values():
        source = catalog.owners.get((q.id, q.version)) or "file"
        click.echo(
            f"{q.id:<24} v{q.version:<3} {source:<20} {'published':<10} "
            f"{len(q.themes)} themes, {len(q.questions):>3} questions, "
            f"{len(q.rules):>3} rules, {len(describe_acute(q)):>2} acute  {q.title}"
            + ("" if q.listed else "  (not listed)")
        )
    for doc in _stored_documents():
        if doc.status != "published":
            click.echo(
                f"{doc.questionnaire_id:<24} v{doc.version:<3} {doc.organisation.name:<20} "
                f"{doc.status:<10} {doc.title}"
            )
    refused = {p.position.file for p in catalog.problems if p.severity == "error" and p.position}
    for name in sorted(refused):
        click.echo(f"refused: {name} (run 'questionnaires validate' to see why)", err=True)


@questionnaires.command("show")
@click.argument("questionnaire_id")
def show_command(questionnaire_id: str) -> None:
    """Show a questionnaire's outline and the answers that escalate it (acute answers)."""
    q = catalog_or_exit().get(questionnaire_id)
    click.echo(f"{q.key}  {q.title}")
    click.echo(f"{len(q.themes)} themes, {len(q.questions)} questions, {len(q.rules)} rules")
    click.echo("Acute answers (escalate to 'Direct hulp nodig' by themselves):")
    for question, words in describe_acute(q):
        click.echo(f"  {question.id}: {question.text} -> {words}")
    safe = [rule.id for rule in q.rules if rule.only_when_safe]
    click.echo(f"Advice left out of a red-flag result (only_when_safe): {', '.join(safe) or '-'}")


def _stored_documents():
    """Return every stored document; none when the database has no tables yet."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return documents_of(None)
    except SQLAlchemyError:
        db.session.rollback()
        return []


def _organisation(name: str):
    organisation = get_organisation(name)
    if organisation is None or organisation.kind != "branche":
        raise click.UsageError(f"no branch organisation '{name}' (see 'flask organisations list')")
    return organisation


def _refused(exc) -> None:
    """Print why a document change was refused, every problem located, and exit 1."""

    db.session.rollback()
    click.echo(f"refused: {exc.message}", err=True)
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    sys.exit(1)


@questionnaires.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", required=True, help="The branch organisation that owns it.")
@click.option("--publish", "and_publish", is_flag=True, help="Publish it right away.")
def import_command(file: Path, organisation: str, and_publish: bool) -> None:
    """Store a questionnaire file as a draft of an organisation (and publish it)."""

    owner = _organisation(organisation)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    catalog = catalog_or_exit()
    try:
        doc, report = documents.import_text(owner, "cli", text, catalog)
        record("cli", "document_uploaded", detail=doc.file_name)
        if and_publish:
            documents.publish(doc, "cli", catalog)
            record("cli", "document_published", detail=doc.file_name)
    except documents.DocumentError as exc:
        _refused(exc)
    db.session.commit()
    invalidate()
    for problem in report.warnings:
        click.echo(str(problem))
    click.echo(
        f"Stored {doc.questionnaire_id} version {doc.version} for {owner.name} as {doc.status}."
    )


def _document(reference: str):
    """Return the document named ID or ID@VERSION; exit 1 when there is none."""

    qid, _, version = reference.partition("@")
    if version and not version.isdigit():
        raise click.UsageError(f"'{reference}' is not ID or ID@VERSION")
    doc = document_lookups.find(qid, int(version) if version else None)
    if doc is None and not version:
        doc = document_lookups.draft_of(qid)
    if doc is None:
        raise click.ClickException(f"no stored questionnaire '{reference}'")
    return doc


@questionnaires.command("export")
@click.argument("reference", metavar="ID[@VERSION]")
def export_command(reference: str) -> None:
    """Print a stored questionnaire's YAML (the newest published version unless one is given)."""

    doc = _document(reference)
    record("cli", "document_downloaded", detail=doc.file_name)
    db.session.commit()
    click.echo(doc.source, nl=False)


@questionnaires.command("publish")
@click.argument("questionnaire_id", metavar="ID")
def publish_command(questionnaire_id: str) -> None:
    """Publish the open draft of a stored questionnaire."""

    doc = document_lookups.draft_of(questionnaire_id)
    if doc is None:
        raise click.ClickException(f"'{questionnaire_id}' has no draft to publish")
    try:
        report = documents.publish(doc, "cli", catalog_or_exit())
    except documents.DocumentError as exc:
        _refused(exc)
    record("cli", "document_published", detail=doc.file_name)
    db.session.commit()
    invalidate()
    for problem in report.warnings:
        click.echo(str(problem))
    click.echo(f"Published {questionnaire_id} version {doc.version}.")


@questionnaires.command("retire")
@click.argument("questionnaire_id", metavar="ID")
def retire_command(questionnaire_id: str) -> None:
    """Retire a stored questionnaire: new scans cannot start, started scans keep working."""

    versions = document_lookups.versions_of(questionnaire_id)
    if not versions:
        raise click.ClickException(f"no stored questionnaire '{questionnaire_id}'")
    try:
        count = documents.retire(versions[0], "cli")
    except documents.DocumentError as exc:
        _refused(exc)
    record("cli", "document_retired", detail=questionnaire_id)
    db.session.commit()
    invalidate()
    click.echo(f"Retired {questionnaire_id} ({count} published version(s)).")


@questionnaires.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def test_command(paths: tuple[Path, ...]) -> None:
    """Run each questionnaire's example answer sets against their expected outcome."""
    targets = list(paths) or questionnaire_paths(questionnaire_folder())
    passed = failed = 0
    try:
        loaded = load_questionnaires(targets, questionnaire_folder())
    except QuestionnaireError as exc:  # the referral registry itself is wrong
        raise click.ClickException("the questionnaires cannot be loaded:\n" + str(exc)) from None
    for path, q in loaded:
        if isinstance(q, QuestionnaireError):
            click.echo(f"{path}: invalid questionnaire", err=True)
            for problem in q.problems:
                click.echo(f"  {problem}", err=True)
            failed += 1
            continue
        if not q.examples:
            click.echo(f"{path}: no examples")
        for outcome in run_examples(q):
            if outcome.passed:
                passed += 1
                click.echo(f"{path}: {outcome.name}: ok")
            else:
                failed += 1
                click.echo(f"{path}: {outcome.name}: FAILED", err=True)
                for failure in outcome.failures:
                    click.echo(f"  - {failure}", err=True)
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
