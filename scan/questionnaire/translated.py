"""A questionnaire in another language: its translation read, checked and put in.

The translations of a questionnaire live beside the YAML, one gettext file per language named
after the questionnaire's id (`questionnaires/haven.en.po`), the referral registry's in
`questionnaires/referrals.<lang>.po` (see translations.py for the format). A questionnaire is
shown in a language only when both are complete and current for the exact Dutch texts of that
version (`in_language`); otherwise the entrepreneur reads it in Dutch. Validate reports every
gap to the author (`translation_problems`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scan.questionnaire.errors import Position, Problem, QuestionnaireError
from scan.questionnaire.languages_readability import translation_warnings
from scan.questionnaire.loader import REGISTRY_FILE, load_questionnaires
from scan.questionnaire.model import Questionnaire, Referral
from scan.questionnaire.registry import load_registry
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.questionnaire.translations import (
    LANGUAGES,
    Translation,
    check_translation,
    questionnaire_texts,
    read_catalog,
    registry_texts,
    translated_data,
    translated_referrals,
)

REGISTRY_STEM = "referrals"


def translation_file(folder: Path, name: str, language: str) -> Path:
    """Return the translation file of a questionnaire id (or 'referrals') in a language."""
    return Path(folder) / f"{name}.{language}.po"


@dataclass(frozen=True)
class LanguageStatus:
    """How far one questionnaire is in one language, for validate and the studio."""

    language: str
    done: int
    total: int
    complete: bool
    exists: bool


def read_translation(
    q: Questionnaire, language: str, folder: Path, registry_unknown_ok: bool = True
) -> tuple[Translation | None, Translation | None]:
    """Return the questionnaire's and the registry's translation in a language (None: no file).

    The registry part holds only the referrals this questionnaire uses.
    """
    snapshot = to_snapshot(q)
    own = _checked(
        translation_file(folder, q.id, language),
        list(questionnaire_texts(snapshot["questionnaire"])),
        language,
    )
    registry = _checked(
        translation_file(folder, REGISTRY_STEM, language),
        list(registry_texts(snapshot["referrals"])),
        language,
        unknown_ok=registry_unknown_ok,
    )
    return own, registry


def _checked(
    path: Path, texts: list[tuple[str, str]], language: str, unknown_ok: bool = False
) -> Translation | None:
    if not path.exists():
        return None
    catalog, problems = read_catalog(path)
    if catalog is None:
        return Translation(language, problems=problems, total=len(texts))
    return check_translation(texts, catalog, str(path), language, unknown_ok=unknown_ok)


def in_language(q: Questionnaire, language: str, folder: Path) -> Questionnaire | None:
    """Return the questionnaire in that language, or None when its translation is not complete.

    None means: show it in Dutch. Scoring is the same (ids, values and rules are untouched);
    only the texts differ.
    """
    if language not in LANGUAGES:
        return None
    own, registry = read_translation(q, language, folder)
    if own is None or registry is None or not (own.complete and registry.complete):
        return None
    snapshot = to_snapshot(q)
    try:
        return from_snapshot(
            {
                "questionnaire": translated_data(snapshot["questionnaire"], own.texts),
                "referrals": translated_referrals(snapshot["referrals"], registry.texts),
            }
        )
    except QuestionnaireError:  # a translation too long for its field: validate says where
        return None


def status(q: Questionnaire, folder: Path) -> list[LanguageStatus]:
    """Return per language how many of the questionnaire's texts have a current translation."""
    result = []
    for language in LANGUAGES:
        own, registry = read_translation(q, language, folder)
        done = (own.done if own else 0) + (registry.done if registry else 0)
        total = len(list(questionnaire_texts(to_snapshot(q)["questionnaire"])))
        total += len(list(registry_texts(to_snapshot(q)["referrals"])))
        complete = bool(own and registry and own.complete and registry.complete)
        result.append(LanguageStatus(language, done, total, complete, own is not None))
    return result


def translation_problems(q: Questionnaire, folder: Path) -> list[Problem]:
    """Return what is wrong with a questionnaire's translations, located, for validate.

    A missing or outdated text is a warning (the entrepreneur then reads the scan in Dutch;
    `--strict` fails on it); an unknown id, a lost phone number or a text too long for its
    field is an error. No translation file at all is no problem: the scan is Dutch only.
    """
    problems: list[Problem] = []
    for language in LANGUAGES:
        own, _ = read_translation(q, language, folder)
        if own is None:
            continue
        for problem in own.problems:
            problems.append(_graded(problem))
        if own.complete:
            problems.extend(_fits(q, own, language, folder))
            problems.extend(
                translation_warnings(
                    own.texts,
                    language,
                    str(translation_file(folder, q.id, language)),
                    own.lines,
                    kept_names(q.registry.values()),
                )
            )
    return problems


def registry_problems(referrals: list[Referral], folder: Path) -> list[Problem]:
    """Return what is wrong with the registry's translations (every entry must be there)."""
    texts = list(registry_texts([r.model_dump(mode="json") for r in referrals]))
    problems: list[Problem] = []
    for language in LANGUAGES:
        found = _checked(translation_file(folder, REGISTRY_STEM, language), texts, language)
        if found is None:
            continue
        problems.extend(_graded(problem) for problem in found.problems)
        path = str(translation_file(folder, REGISTRY_STEM, language))
        problems.extend(
            translation_warnings(found.texts, language, path, found.lines, kept_names(referrals))
        )
    return problems


def kept_names(referrals: Iterable[Referral]) -> tuple[str, ...]:
    """Return the Dutch names a translation keeps (the registry's, without their notes)."""
    names = {r.name.split(" (")[0] for r in referrals}
    return tuple(sorted(names, key=len, reverse=True))


def _graded(problem: Problem) -> Problem:
    """A gap (missing, outdated) is a warning; anything else stays an error."""
    gap = "geen vertaling" in problem.message or "verouderd" in problem.message
    if not gap:
        return problem
    return Problem(problem.message, problem.position, problem.path, problem.hint, "warning")


def _fits(q: Questionnaire, own: Translation, language: str, folder: Path) -> list[Problem]:
    """Return an error when the translated texts do not fit the format (too long, empty)."""
    snapshot = to_snapshot(q)
    try:
        from_snapshot(
            {
                "questionnaire": translated_data(snapshot["questionnaire"], own.texts),
                "referrals": snapshot["referrals"],
            }
        )
    except QuestionnaireError as exc:
        where = Position(str(translation_file(folder, q.id, language)), 1, 1)
        return [
            Problem(f"de vertaling past niet in de vragenlijst: {p.message}", where, p.path)
            for p in exc.problems
        ]
    return []


def _loaded(paths: list[Path], folder: Path) -> list[Questionnaire]:
    """Return the questionnaires among the paths that load (the others have their own errors)."""
    wanted = [p for p in paths if p.name != REGISTRY_FILE]
    return [q for _, q in load_questionnaires(wanted, folder) if isinstance(q, Questionnaire)]


def translations_problems(paths: list[Path], folder: Path) -> list[Problem]:
    """Return the translation problems of these files, and of the registry's translations."""
    folder = Path(folder)
    try:
        registry = load_registry(folder / REGISTRY_FILE)
    except QuestionnaireError:
        return []  # validate reports the registry's own errors
    problems = registry_problems(list(registry.values()), folder)
    for q in _loaded(paths, folder):
        problems.extend(translation_problems(q, folder))
    return problems


def translatable_files(folder: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return (file name stem, Dutch texts) for the registry and every questionnaire."""
    folder = Path(folder)
    registry = load_registry(folder / REGISTRY_FILE)
    found = [
        (
            REGISTRY_STEM,
            list(registry_texts([r.model_dump(mode="json") for r in registry.values()])),
        )
    ]
    for q in _loaded(sorted(folder.glob("*.yaml")), folder):
        found.append((q.id, list(questionnaire_texts(to_snapshot(q)["questionnaire"]))))
    return found


def completeness(folder: Path) -> list[tuple[str, LanguageStatus]]:
    """Return (questionnaire id, status) per questionnaire and language: the figures to report."""
    folder = Path(folder)
    return [
        (q.id, item)
        for q in _loaded(sorted(folder.glob("*.yaml")), folder)
        for item in status(q, folder)
    ]
