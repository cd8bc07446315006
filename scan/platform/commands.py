"""flask commands: set-up (init), questionnaires validate, score and report.

The rooms add their own: scan/studio/commands.py (questionnaires list, test, import, export,
publish, retire), scan/scans/commands.py (scans expire, trends rebuild), scan/portal/commands.py
(users, organisations). create_app registers them all.
"""

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
from scan.questionnaire.loader import questionnaire_paths
from scan.questionnaire.translated import (
    completeness,
    translatable_files,
    translation_file,
    translations_problems,
)
from scan.questionnaire.translation_files import write_translation
from scan.questionnaire.translations import LANGUAGES
from scan.questionnaire.yamlsource import read_yaml_file
from scan.scoring import Result, score

questionnaires = AppGroup("questionnaires", help="Validate, list and test questionnaires.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(questionnaires)
    app.cli.add_command(init_command)
    app.cli.add_command(score_command)
    app.cli.add_command(report_command)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Prepare the instance folder: a secret key (first run only) and the database schema."""
    from flask_migrate import upgrade

    if config.write_secret_key(current_app.instance_path):
        click.echo("Created instance/secret_key.")
    upgrade()
    click.echo("Database is up to date.")


def questionnaire_folder() -> Path:
    """Return the shipped questionnaires' folder, relative when below the working directory."""
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
    targets = list(paths) or questionnaire_paths(questionnaire_folder())
    problems = validate_paths(targets, questionnaire_folder())
    problems += translations_problems(targets, questionnaire_folder())
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = [p for p in problems if p.severity == "error" or strict]
    click.echo(
        f"{len(targets)} file(s) checked: {sum(p.severity == 'error' for p in problems)} error(s), "
        f"{sum(p.severity == 'warning' for p in problems)} warning(s)."
    )
    sys.exit(1 if errors else 0)


@questionnaires.command("translations")
@click.option(
    "--language", "languages", multiple=True, type=click.Choice(LANGUAGES), default=LANGUAGES
)
@click.option("--only", "names", multiple=True, help="Only this questionnaire id (or 'referrals').")
def translations_command(languages: tuple[str, ...], names: tuple[str, ...]) -> None:
    """Write or update the translation files (.po) of the shipped questionnaires.

    A file once written is checked by validate: start a language per questionnaire (--only).
    """
    folder = questionnaire_folder()
    for name, texts in translatable_files(folder):
        if names and name not in names:
            continue
        for language in languages:
            target = translation_file(folder, name, language)
            total, todo = write_translation(target, texts, language, name)
            click.echo(f"{target}: {total} texts, {todo} to translate")
    for name, status in completeness(folder):
        state = "complete" if status.complete else "incomplete: shown in Dutch"
        click.echo(f"{name} [{status.language}]: {status.done}/{status.total} translated ({state})")


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
    catalog = catalog_or_exit()
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


def catalog_or_exit():
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
