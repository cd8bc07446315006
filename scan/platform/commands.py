"""flask commands: set-up, questionnaires (validate, list, test), score, report, scans expire."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from scan.platform import config
from scan.platform.catalog import get_catalog
from scan.questionnaire import (
    AnswersError,
    QuestionnaireError,
    UnknownQuestionnaire,
    validate_paths,
)
from scan.questionnaire.loader import load_questionnaires, questionnaire_paths
from scan.questionnaire.yamlsource import read_yaml_file
from scan.scoring import Result, score
from scan.studio.examples import run_examples

questionnaires = AppGroup("questionnaires", help="Validate, list and test questionnaires.")
scans = AppGroup("scans", help="Housekeeping of stored scans.")
trends_group = AppGroup("trends", help="Trend counters.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(questionnaires)
    app.cli.add_command(scans)
    app.cli.add_command(trends_group)
    app.cli.add_command(init_command)
    app.cli.add_command(score_command)
    app.cli.add_command(report_command)
    from scan.portal.commands import mail_group, organisations, users

    app.cli.add_command(users)
    app.cli.add_command(mail_group)
    app.cli.add_command(organisations)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Prepare the instance folder: a secret key (first run only) and the database schema."""
    from flask_migrate import upgrade

    if config.write_secret_key(current_app.instance_path):
        click.echo("Created instance/secret_key.")
    upgrade()
    click.echo("Database is up to date.")


@scans.command("expire")
def expire_command() -> None:
    """Delete every scan whose link has expired (a shared one: see SHARED_RETENTION_DAYS)."""
    from scan.scans.store import expire_scans

    click.echo(f"{expire_scans()} expired scan(s) deleted.")


@trends_group.command("rebuild")
@with_appcontext
def trends_rebuild_command() -> None:
    """Recount the trend counters from the submitted scans."""
    from scan.platform.extensions import db
    from scan.portal import trends

    click.echo(f"{trends.rebuild(db.session)} trend counter(s) recounted.")


def _folder() -> Path:
    return _relative(Path(current_app.config["QUESTIONNAIRE_DIR"]))


def _relative(path: Path) -> Path:
    """Show paths relative to the working directory when they are below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


@questionnaires.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate_command(paths: tuple[Path, ...], strict: bool) -> None:
    """Validate questionnaires (all in the folder when no PATH is given)."""
    targets = list(paths) or questionnaire_paths(_folder())
    problems = validate_paths(targets, _folder())
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = [p for p in problems if p.severity == "error" or strict]
    click.echo(
        f"{len(targets)} file(s) checked: {sum(p.severity == 'error' for p in problems)} error(s), "
        f"{sum(p.severity == 'warning' for p in problems)} warning(s)."
    )
    sys.exit(1 if errors else 0)


@questionnaires.command("list")
def list_command() -> None:
    """List the questionnaires: source (file or organisation), status and contents."""
    catalog = _catalog()
    for q in catalog.latest.values():
        source = catalog.owners.get((q.id, q.version)) or "file"
        click.echo(
            f"{q.id:<24} v{q.version:<3} {source:<20} {'published':<10} "
            f"{len(q.themes)} themes, {len(q.questions):>3} questions, "
            f"{len(q.rules):>3} rules  {q.title}" + ("" if q.listed else "  (not listed)")
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


def _stored_documents():
    """Return every stored document; none when the database has no tables yet."""
    from sqlalchemy.exc import SQLAlchemyError

    from scan.platform.extensions import db
    from scan.studio.documents import documents_of

    try:
        return documents_of(None)
    except SQLAlchemyError:
        db.session.rollback()
        return []


def _organisation(name: str):
    from scan.portal.accounts import get_organisation

    organisation = get_organisation(name)
    if organisation is None or organisation.kind != "branche":
        raise click.UsageError(f"no branch organisation '{name}' (see 'flask organisations list')")
    return organisation


def _refused(exc) -> None:
    """Print why a document change was refused, every problem located, and exit 1."""
    from scan.platform.extensions import db

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
    from scan.platform.catalog import invalidate
    from scan.platform.extensions import db
    from scan.portal.accounts import record
    from scan.studio import documents

    owner = _organisation(organisation)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    catalog = _catalog()
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
    from scan.studio import documents

    qid, _, version = reference.partition("@")
    if version and not version.isdigit():
        raise click.UsageError(f"'{reference}' is not ID or ID@VERSION")
    doc = documents.find(qid, int(version) if version else None)
    if doc is None and not version:
        doc = documents.draft_of(qid)
    if doc is None:
        raise click.ClickException(f"no stored questionnaire '{reference}'")
    return doc


@questionnaires.command("export")
@click.argument("reference", metavar="ID[@VERSION]")
def export_command(reference: str) -> None:
    """Print a stored questionnaire's YAML (the newest published version unless one is given)."""
    from scan.platform.extensions import db
    from scan.portal.accounts import record

    doc = _document(reference)
    record("cli", "document_downloaded", detail=doc.file_name)
    db.session.commit()
    click.echo(doc.source, nl=False)


@questionnaires.command("publish")
@click.argument("questionnaire_id", metavar="ID")
def publish_command(questionnaire_id: str) -> None:
    """Publish the open draft of a stored questionnaire."""
    from scan.platform.catalog import invalidate
    from scan.platform.extensions import db
    from scan.portal.accounts import record
    from scan.studio import documents

    doc = documents.draft_of(questionnaire_id)
    if doc is None:
        raise click.ClickException(f"'{questionnaire_id}' has no draft to publish")
    try:
        report = documents.publish(doc, "cli", _catalog())
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
    from scan.platform.catalog import invalidate
    from scan.platform.extensions import db
    from scan.portal.accounts import record
    from scan.studio import documents

    versions = documents.versions_of(questionnaire_id)
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
    targets = list(paths) or questionnaire_paths(_folder())
    passed = failed = 0
    try:
        loaded = load_questionnaires(targets, _folder())
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


@click.command("score")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
@with_appcontext
def score_command(questionnaire_id: str, answers_file: Path, fmt: str) -> None:
    """Score an answers file (YAML or JSON) against a questionnaire."""
    result = _score_file(questionnaire_id, answers_file)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_text(result))


def _score_file(questionnaire_id: str, answers_file: Path) -> Result:
    """Load a questionnaire and an answers file and score them; exit 1 with a message if not."""
    catalog = _catalog()
    try:
        q = catalog.get(questionnaire_id)
        answers = read_yaml_file(answers_file)
        return score(q, answers if answers is not None else {})
    except UnknownQuestionnaire as exc:
        raise click.ClickException(str(exc)) from None
    except QuestionnaireError as exc:
        raise click.ClickException("answers file is not valid YAML or JSON:\n" + str(exc)) from None
    except AnswersError as exc:
        raise click.ClickException(
            "answers do not fit the questionnaire:\n" + "\n".join(f"  - {p}" for p in exc.messages)
        ) from None


def _catalog():
    """Return the app's catalog; exit 1 with the located problems when it cannot load."""
    try:
        return get_catalog()
    except QuestionnaireError as exc:
        raise click.ClickException("the questionnaires cannot be loaded:\n" + str(exc)) from None


@click.command("report")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
@with_appcontext
def report_command(questionnaire_id: str, answers_file: Path, out: Path) -> None:
    """Make the PDF report of an answers file (YAML or JSON)."""
    import hashlib

    from scan.report import render_pdf

    result = _score_file(questionnaire_id, answers_file)
    q = get_catalog().get(result.questionnaire_id, result.version)
    answers = read_yaml_file(answers_file) or {}
    # A reference without personal data: the start of a hash of the questionnaire and answers.
    digest = json.dumps([q.key, answers], sort_keys=True, default=str, ensure_ascii=False)
    reference = hashlib.sha256(digest.encode()).hexdigest()[:8]
    pdf = render_pdf(result, q, reference=reference, answers=answers)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"Wrote {out} ({len(pdf) // 1024} KiB, reference {reference}).")


def format_text(result: Result) -> str:
    """Render a result as plain text for the terminal."""
    lines = [f"{result.title} (versie {result.version})"]
    overall = "geen score" if result.overall is None else f"{result.overall:g}"
    # The same outcome the result page and the PDF lead with: on a red flag, not a level.
    outcome = result.outcome.label if result.outcome else "geen score"
    lines.append(f"Totaal: {overall}  Uitkomst: {outcome}")
    if result.red_flag:
        level = result.score_level.label if result.score_level else "geen score"
        lines.append(
            "Rode vlag: een antwoord wijst erop dat er nu iets ernstigs speelt. "
            f"Niveau van de score alleen: {level}."
        )
    lines.append("")
    for theme in result.themes:
        value = "geen score" if theme.score is None else f"{theme.score:g}"
        lines.append(f"  {theme.title:<40} {value}")
    lines.append("")
    lines.append(
        f"Beantwoord: {result.answered}, weet ik niet: {result.unknown}, "
        f"niet van toepassing: {result.not_applicable}, overgeslagen: {result.skipped}"
    )
    if result.advice:
        lines.append("")
        lines.append("Advies:")
        for item in result.advice:
            lines.append(f"  [{item.priority}] {item.title} ({item.id})")
            for trigger in item.triggers:
                lines.append(f"      omdat: {trigger.question} -> {trigger.answer}")
    lines.append("")
    lines.append("Hulp en melden:")
    for ref in result.referrals:
        contact = ref.phone or ref.url or ref.contact or ""
        lines.append(f"  {ref.name}: {contact}")
    return "\n".join(lines)
