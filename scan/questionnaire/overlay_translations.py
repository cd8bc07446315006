"""A branch overlay in another language: the author's translations plus the base's shipped ones.

An overlay (a branch organisation's tailored scan) inherits most of its texts from a shipped
base questionnaire, whose translations live in `questionnaires/<base id>.<lang>.po` and
`referrals.<lang>.po`. The author translates only the overlay's own texts: every text whose
id path and Dutch text the base and the shipped registry do not have (an added question, a
replaced advice, a changed title, an own referral). Those live with the document as gettext
text in the same shape as the shipped files (msgctxt the id path, msgid the Dutch text), so a
changed Dutch text makes its translation outdated in the same way.

What the entrepreneur sees follows the shipped rule (translated.py): the scan is in English
or Polish only when the author's part, the inherited part and the registry's part are all
complete, current and safe; otherwise it stays Dutch whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from scan.questionnaire.errors import Position, Problem, QuestionnaireError
from scan.questionnaire.languages_readability import text_problems
from scan.questionnaire.model import Questionnaire, Referral
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.questionnaire.translated import REGISTRY_STEM, translation_file
from scan.questionnaire.translations import (
    Translation,
    check_translation,
    questionnaire_texts,
    registry_texts,
    translated_data,
    translated_referrals,
)


def all_texts(q: Questionnaire) -> list[tuple[str, str]]:
    """Return (id path, Dutch text) of everything a reader of q reads, referrals included."""
    snapshot = to_snapshot(q)
    return list(questionnaire_texts(snapshot["questionnaire"])) + list(
        registry_texts(snapshot["referrals"])
    )


def own_texts(
    q: Questionnaire, base: Questionnaire | None, shipped: Iterable[Referral]
) -> list[tuple[str, str]]:
    """Return the texts the author translates: those the base and the registry do not have."""
    inherited = set(all_texts(base)) if base is not None else set()
    inherited |= set(registry_texts([r.model_dump(mode="json") for r in shipped]))
    return [item for item in all_texts(q) if item not in inherited]


def parse_po(data: bytes | str, name: str) -> tuple[Catalog | None, list[Problem]]:
    """Read gettext text with babel's reader (never eval); a broken file is a located problem."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        raw.decode("utf-8")
        return read_po(BytesIO(raw), abort_invalid=True), []
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        return None, [
            Problem(
                f"dit bestand is geen leesbaar vertaalbestand: {str(exc)[:200]}",
                Position(name, getattr(exc, "lineno", 1) or 1, 1),
                hint="het moet een gettext .po-bestand zijn (UTF-8), zoals de studio het geeft",
            )
        ]


def author_translation(
    own: list[tuple[str, str]], po_text: str | None, language: str, name: str
) -> Translation:
    """Check the author's stored translation of the own texts: missing, outdated, unsafe.

    An entry whose id the overlay no longer has is left out (the text was removed); an
    uploaded file is checked strictly instead (translation_store.import_po)."""
    if not po_text:
        return check_translation(own, Catalog(locale=language), name, language)
    catalog, problems = parse_po(po_text, name)
    if catalog is None:
        return Translation(language, problems=problems, total=len(own))
    return check_translation(own, catalog, name, language, unknown_ok=True)


def readability_hints(texts: dict[str, str], language: str) -> dict[str, list[str]]:
    """Return per id path what makes a translated text harder than B1 (languages_readability)."""
    hints = {}
    for path, text in texts.items():
        found = text_problems(text, language)
        if found and not path.endswith(".name"):
            hints[path] = found
    return hints


@dataclass(frozen=True)
class OverlaySources:
    """Where an overlay's translation comes from: its base, the shipped folder, the author."""

    base: Questionnaire | None
    shipped: tuple[Referral, ...]
    folder: Path
    author: dict[str, str]  # language -> the author's .po text


def _shipped_part(texts: list[tuple[str, str]], path: Path, language: str) -> Translation | None:
    if not texts:
        return Translation(language)
    if not path.exists():
        return None
    catalog, _ = parse_po(path.read_bytes(), str(path))
    if catalog is None:
        return None
    return check_translation(texts, catalog, str(path), language, unknown_ok=True)


def overlay_in_language(
    q: Questionnaire, language: str, sources: OverlaySources
) -> Questionnaire | None:
    """Return the overlay in the language, or None (Dutch whole) when any part is not complete.

    The author's texts for the overlay's own items, the base's shipped translation for the
    inherited ones, the registry's for inherited referrals: never a mix with Dutch."""
    own = own_texts(q, sources.base, sources.shipped)
    author = author_translation(own, sources.author.get(language), language, "")
    if not author.complete:
        return None
    owned = {path for path, _ in own}
    snapshot = to_snapshot(q)
    inherited_q = [t for t in questionnaire_texts(snapshot["questionnaire"]) if t[0] not in owned]
    inherited_r = [t for t in registry_texts(snapshot["referrals"]) if t[0] not in owned]
    base_id = sources.base.id if sources.base is not None else ""
    parts = [
        _shipped_part(inherited_q, translation_file(sources.folder, base_id, language), language),
        _shipped_part(
            inherited_r, translation_file(sources.folder, REGISTRY_STEM, language), language
        ),
    ]
    texts = dict(author.texts)
    for part in parts:
        if part is None or not part.complete:
            return None
        texts.update(part.texts)
    try:
        return from_snapshot(
            {
                "questionnaire": translated_data(snapshot["questionnaire"], texts),
                "referrals": translated_referrals(snapshot["referrals"], texts),
            }
        )
    except QuestionnaireError:  # a translation too long for its field: the studio says where
        return None
