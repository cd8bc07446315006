"""Questionnaire translations: gettext .po files beside the YAML, keyed on item ids.

One file per questionnaire and language, `questionnaires/<id>.<lang>.po` (and
`referrals.<lang>.po` for the registry). Each entry's msgctxt is the id path of one text
(`question:verhuur.text`, `option:huur_contant.bank`, `rule:r1.advice.steps.0`), its msgid the
Dutch text it translates and its msgstr the translation. Because the msgid is the Dutch source,
a changed Dutch text no longer matches: the entry is outdated, just as `pybabel update` marks
it fuzzy. `flask questionnaires translations` writes and updates the files
(translation_files.py), the babel library reads them (never a hand parser).

What the entrepreneur sees: a scan is offered in a language only when its translation is
complete and current for the exact Dutch text of that version. Otherwise the whole
questionnaire stays Dutch (the interface around it keeps the chosen language, and the page says
that this scan is not yet in that language): never a page half translated. The author sees
every missing or outdated text, located, from `questionnaires validate`.
"""

from __future__ import annotations

import copy as copy_module
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from scan.questionnaire.errors import Position, Problem
from scan.questionnaire.safety_languages import translation_safety

LANGUAGES = ("en", "pl")  # the translations a questionnaire may have; Dutch is the source
LANGUAGE_NAMES = {"en": "Engels", "pl": "Pools"}
# Numbers people must dial or type exactly: a translation keeps every one of them.
_NUMBER = re.compile(r"\b\d[\d -]*\d\b|\b\d\b")
# Placeholders a text may carry (none of the shipped ones do yet): kept exactly.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]")


@dataclass
class Translation:
    """One language of one questionnaire: the texts by id path, and what is wrong with them."""

    language: str
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    lines: dict[str, int] = field(default_factory=dict)  # id path -> line in the .po file

    @property
    def complete(self) -> bool:
        """Tell whether every text has a current translation and nothing else is wrong."""
        return not self.problems and len(self.texts) == self.total

    @property
    def done(self) -> int:
        """Return how many texts have a current translation."""
        return len(self.texts)


def _indexed(prefix: str, values: list[Any]) -> Iterator[tuple[str, str]]:
    for index, value in enumerate(values):
        if isinstance(value, str) and value:
            yield f"{prefix}.{index}", value


def _fields(prefix: str, item: dict[str, Any], names: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value:
            yield f"{prefix}.{name}", value


def questionnaire_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (id path, Dutch text) for every text the entrepreneur reads in a questionnaire.

    data: the questionnaire as plain data (`Questionnaire.model_dump(mode="json")`, as a scan's
    snapshot keeps it), so defaults such as the red-flag outcome's texts are included.
    """
    yield from _fields("questionnaire", data, ("title", "sector", "introduction"))
    for theme in data.get("themes", []):
        yield from _fields(f"theme:{theme['id']}", theme, ("title", "description"))
    for question in data.get("questions", []):
        prefix = f"question:{question['id']}"
        yield from _fields(prefix, question, ("text", "help", "error_message"))
        for option in question.get("options") or []:
            yield from _fields(f"option:{question['id']}.{option['value']}", option, ("label",))
        scale = question.get("scale") or {}
        yield from _fields(f"{prefix}.scale", scale, ("min_label", "max_label"))
        yield from _fields(f"{prefix}.number", question.get("number") or {}, ("unit",))
    for rule in data.get("rules", []):
        advice = rule.get("advice") or {}
        prefix = f"rule:{rule['id']}.advice"
        yield from _fields(prefix, advice, ("title", "explanation"))
        yield from _indexed(f"{prefix}.steps", advice.get("steps") or [])
    for level in data.get("risk_levels", []):
        yield from _fields(f"risk_level:{level['id']}", level, ("label", "explanation"))
    outcome = data.get("red_flag_outcome") or {}
    yield from _fields("red_flag", outcome, ("label", "explanation", "avoid"))
    for index, step in enumerate(outcome.get("today") or []):
        yield from _fields(f"red_flag.today.{index}", step, ("text",))


def registry_texts(referrals: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (id path, Dutch text) for the referral registry: names, contact notes, when to call.

    A Dutch name stays Dutch with a short explanation in the translation:
    "Meld Misdaad Anoniem (anonymous crime line)". Phone numbers and addresses are not texts.
    """
    for referral in referrals:
        yield from _fields(f"referral:{referral['id']}", referral, ("name", "contact", "when"))


def read_catalog(path: Path) -> tuple[Catalog | None, list[Problem]]:
    """Read a .po file with babel's reader; a broken file is one located problem."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True), []
    except (OSError, PoFileError, ValueError) as exc:
        return None, [
            Problem(
                f"dit vertaalbestand kan niet worden gelezen: {exc}",
                Position(str(path), 1, 1),
                hint="het moet een gettext .po-bestand zijn (UTF-8)",
            )
        ]


def check_translation(
    texts: list[tuple[str, str]],
    catalog: Catalog,
    path: str,
    language: str,
    unknown_ok: bool = False,
) -> Translation:
    """Check one translation against the Dutch texts; return the usable texts and the problems.

    Every problem is located (FILE:LINE) and in Dutch, for the author: a text without a
    translation, one whose Dutch text changed (outdated, or marked fuzzy), an id the
    questionnaire does not have (unless unknown_ok: the registry's file, read for the few
    referrals one questionnaire uses), a translation that lost a phone number or
    placeholder, and an unsafe translation (safety_languages.py: the same rule as the Dutch
    texts, and no links). A refused text is not used: the scan then stays Dutch whole.
    """
    result = Translation(language, total=len(texts))
    dutch = dict(texts)
    name = LANGUAGE_NAMES.get(language, language)
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        context = message.context or ""
        where = Position(path, message.lineno or 1, 1)
        if context not in dutch:
            if unknown_ok:
                continue
            result.problems.append(
                Problem(
                    "deze id bestaat niet in de vragenlijst",
                    where,
                    path=context,
                    hint="haal de vertaling weg, of zet de id goed",
                )
            )
            continue
        translated = message.string if isinstance(message.string, str) else ""
        if not translated:
            continue  # reported below as missing
        unsafe = list(translation_safety(translated, language))
        if unsafe:
            result.problems.append(
                Problem(
                    unsafe[0],
                    where,
                    path=context,
                    hint="stuur de lezer nooit naar een mogelijke crimineel: afstand houden, "
                    "opschrijven wat u zag en melden",
                )
            )
            continue
        if message.fuzzy or message.id != dutch[context]:
            result.problems.append(
                Problem(
                    f"de vertaling in het {name} is verouderd: de Nederlandse tekst is veranderd",
                    where,
                    path=context,
                    hint="vertaal de nieuwe Nederlandse tekst en haal de markering 'fuzzy' weg",
                )
            )
            continue
        lost = _kept_exactly(dutch[context], translated)
        if lost:
            result.problems.append(
                Problem(
                    f"de vertaling mist {', '.join(sorted(lost))} uit de Nederlandse tekst",
                    where,
                    path=context,
                    hint="telefoonnummers en plaatshouders blijven precies hetzelfde",
                )
            )
            continue
        result.texts[context] = translated
        result.lines[context] = message.lineno or 1
    reported = {problem.path for problem in result.problems}
    for context, _ in texts:
        if context not in result.texts and context not in reported:
            result.problems.append(
                Problem(
                    f"er is geen vertaling in het {name}",
                    Position(path, 1, 1),
                    path=context,
                    hint="vul de vertaling in; tot dan is de scan voor de ondernemer Nederlands",
                )
            )
    return result


def _kept_exactly(dutch: str, translated: str) -> set[str]:
    """Return the numbers and placeholders of the Dutch text that the translation lost."""
    wanted = {m.group().strip() for m in _NUMBER.finditer(dutch)}
    wanted |= set(_PLACEHOLDER.findall(dutch))
    return {item for item in wanted if item not in translated}


def translated_data(data: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """Return a copy of the questionnaire's plain data with every translated text put in."""
    copy: dict[str, Any] = copy_module.deepcopy(data)

    def put(item: dict[str, Any], prefix: str, names: tuple[str, ...]) -> None:
        for name in names:
            if f"{prefix}.{name}" in texts:
                item[name] = texts[f"{prefix}.{name}"]

    put(copy, "questionnaire", ("title", "sector", "introduction"))
    for theme in copy.get("themes", []):
        put(theme, f"theme:{theme['id']}", ("title", "description"))
    for question in copy.get("questions", []):
        prefix = f"question:{question['id']}"
        put(question, prefix, ("text", "help", "error_message"))
        for option in question.get("options") or []:
            put(option, f"option:{question['id']}.{option['value']}", ("label",))
        if question.get("scale"):
            put(question["scale"], f"{prefix}.scale", ("min_label", "max_label"))
        if question.get("number"):
            put(question["number"], f"{prefix}.number", ("unit",))
    for rule in copy.get("rules", []):
        advice = rule.get("advice") or {}
        put(advice, f"rule:{rule['id']}.advice", ("title", "explanation"))
        steps = advice.get("steps") or []
        for index in range(len(steps)):
            steps[index] = texts.get(f"rule:{rule['id']}.advice.steps.{index}", steps[index])
    for level in copy.get("risk_levels", []):
        put(level, f"risk_level:{level['id']}", ("label", "explanation"))
    outcome = copy.get("red_flag_outcome") or {}
    put(outcome, "red_flag", ("label", "explanation", "avoid"))
    for index, step in enumerate(outcome.get("today") or []):
        put(step, f"red_flag.today.{index}", ("text",))
    return copy


def translated_referrals(
    referrals: list[dict[str, Any]], texts: dict[str, str]
) -> list[dict[str, Any]]:
    """Return a copy of the registry entries with their translated texts put in."""
    copies = []
    for referral in referrals:
        item = dict(referral)
        for name in ("name", "contact", "when"):
            key = f"referral:{referral['id']}.{name}"
            if key in texts:
                item[name] = texts[key]
        copies.append(item)
    return copies


def translation_path(questionnaire_file: Path, language: str) -> Path:
    """Return where a questionnaire's translation lives: beside it, `<name>.<lang>.po`."""
    return questionnaire_file.with_name(f"{questionnaire_file.stem}.{language}.po")
