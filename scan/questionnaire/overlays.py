"""Tailoring: merge an overlay (extends + add/replace/remove) onto its base's located data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from scan.questionnaire.errors import Position, Problem, did_you_mean
from scan.questionnaire.located import LocatedDict, LocatedList, format_path, locate
from scan.questionnaire.model import Id
from scan.questionnaire.schema import build_model

SECTIONS = ("themes", "questions", "rules", "referrals", "risk_levels")
METADATA = (
    "title",
    "sector",
    "language",
    "introduction",
    "duration_minutes",
    "listed",
    "red_flag_outcome",
)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BaseRef(_Closed):
    """Which questionnaire an overlay extends."""

    id: Id
    version: StrictInt = Field(ge=1)


class AddSection(_Closed):
    """Items an overlay adds (validated after the merge, with the rest)."""

    themes: list[dict[str, Any]] = Field(default_factory=list)
    questions: list[dict[str, Any]] = Field(default_factory=list)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    referrals: list[Id] = Field(default_factory=list)


class ReplaceSection(_Closed):
    """Whole items an overlay replaces, matched by id."""

    themes: list[dict[str, Any]] = Field(default_factory=list)
    questions: list[dict[str, Any]] = Field(default_factory=list)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    risk_levels: list[dict[str, Any]] | None = None


class RemoveSection(_Closed):
    """Ids an overlay removes."""

    themes: list[Id] = Field(default_factory=list)
    questions: list[Id] = Field(default_factory=list)
    rules: list[Id] = Field(default_factory=list)
    referrals: list[Id] = Field(default_factory=list)


class OverlayFile(_Closed):
    """The shape of an overlay file."""

    id: Id
    version: StrictInt = Field(ge=1)
    extends: BaseRef
    title: Any = None
    sector: Any = None
    language: Any = None
    introduction: Any = None
    duration_minutes: Any = None
    red_flag_outcome: Any = None
    listed: Any = None
    # Referral entries of this overlay's own (full entries, as in referrals.yaml), used by id
    # in this overlay and in overlays on it; checked with the registry's rules when loading.
    new_referrals: list[Any] = Field(default_factory=list)
    add: AddSection = Field(default_factory=AddSection)
    replace: ReplaceSection = Field(default_factory=ReplaceSection)
    remove: RemoveSection = Field(default_factory=RemoveSection)
    examples: list[Any] = Field(default_factory=list)


def is_overlay(data: Any) -> bool:
    """Tell whether located data is an overlay (has 'extends')."""
    return isinstance(data, dict) and "extends" in data


def base_ref(data: Any) -> tuple[str, int] | None:
    """Return the (id, version) an overlay extends, if well-formed."""
    ref = data.get("extends") if isinstance(data, dict) else None
    if (
        isinstance(ref, dict)
        and isinstance(ref.get("id"), str)
        and isinstance(ref.get("version"), int)
    ):
        return ref["id"], ref["version"]
    return None


def check_overlay_shape(data: Any) -> list[Problem]:
    """Validate the overlay's own structure (not yet the items it adds)."""
    _, problems = build_model(OverlayFile, data)
    entries = ((data.get("add") or {}) if isinstance(data.get("add"), dict) else {}).get(
        "referrals"
    )
    full = {
        format_path(("add", "referrals", i))
        for i, item in enumerate(entries if isinstance(entries, list) else [])
        if isinstance(item, dict)
    }
    if not full:
        return problems
    # A whole entry where an id belongs: say where a referral of the overlay's own goes.
    kept = [p for p in problems if not any(p.path.startswith(f) for f in full)]
    return kept + [
        Problem(
            "add.referrals lists ids of referrals; this is a whole referral entry",
            locate(data, ("add", "referrals", int(path.rsplit("[", 1)[1][:-1]))),
            path,
            "to define a referral of this overlay's own, put the whole entry under "
            "'new_referrals:' and list its id here",
        )
        for path in sorted(full)
    ]


class MergedData(LocatedDict):
    """A base's located data with an overlay applied: removed ids and own referral entries."""

    # section -> removed id -> where the overlay (or a base overlay) removed it, so that the
    # checks can say why an id that is still used is missing.
    removed: dict[str, dict[str, Position]]
    # The 'new_referrals' of this overlay and of the overlays it extends, in that order.
    own_referrals: LocatedList


def merge(base: LocatedDict, overlay: LocatedDict) -> tuple[MergedData, list[Problem]]:
    """Apply an overlay to its base's data; return merged located data and overlay problems."""
    merged = _copy_base(base, overlay)
    problems = _remove_items(merged, overlay)
    problems += _replace_items(merged, overlay)
    problems += _add_items(merged, overlay)
    return merged, problems


def _copy_base(base: LocatedDict, overlay: LocatedDict) -> MergedData:
    """Return the base's data (without its examples) with the overlay's id and metadata."""
    merged = MergedData()
    merged.position = overlay.position
    merged.key_positions = dict(base.key_positions)
    merged.value_positions = dict(base.value_positions)
    merged.removed = {k: dict(v) for k, v in getattr(base, "removed", {}).items()}
    for key, value in base.items():
        if key != "examples":
            merged[key] = value
    for key in ("id", "version", *METADATA, "examples"):
        if key in overlay:
            merged[key] = overlay[key]
            merged.key_positions[key] = overlay.key_positions[key]
            merged.value_positions[key] = overlay.value_positions[key]
    for section in SECTIONS:
        source = base.get(section)
        items = LocatedList()
        items.position = getattr(source, "position", base.position)
        items.item_positions = list(getattr(source, "item_positions", []))
        items.extend(source or [])
        merged[section] = items
    merged.own_referrals = LocatedList()
    merged.own_referrals.position = overlay.position
    merged.own_referrals.item_positions = []
    for entries in (getattr(base, "own_referrals", None), overlay.get("new_referrals")):
        for i, entry in enumerate(entries or []):
            merged.own_referrals.append(entry)
            merged.own_referrals.item_positions.append(entries.item_positions[i])
    return merged


def _remove_items(merged: MergedData, overlay: LocatedDict) -> list[Problem]:
    """Remove the ids under 'remove' and note where; report ids the base does not have."""
    problems = []
    remove = overlay.get("remove") or {}
    for section in ("questions", "rules", "themes", "referrals"):
        for i, item_id in enumerate(remove.get(section) or []):
            if not _remove(merged[section], item_id):
                problems.append(_missing(overlay, ("remove", section, i), section, item_id, merged))
            else:
                merged.removed.setdefault(section, {})[item_id] = locate(
                    overlay, ("remove", section, i)
                )
    return problems


def _replace_items(merged: MergedData, overlay: LocatedDict) -> list[Problem]:
    """Put each item under 'replace' in the place of the base item with its id."""
    problems = []
    replace = overlay.get("replace") or {}
    for section in ("themes", "questions", "rules"):
        for i, item in enumerate(replace.get(section) or []):
            if not isinstance(item, dict) or "id" not in item:
                problems.append(
                    Problem(
                        "'id' is missing",
                        locate(overlay, ("replace", section, i)),
                        format_path(("replace", section, i)),
                        hint="replace finds the item to replace by its id; add 'id:'",
                    )
                )
                continue
            index = _index_of(merged[section], item["id"])
            if index is None:
                problems.append(
                    _missing(overlay, ("replace", section, i), section, item["id"], merged)
                )
                continue
            merged[section][index] = item
            merged[section].item_positions[index] = replace[section].item_positions[i]
    if replace.get("risk_levels") is not None:
        merged["risk_levels"] = replace["risk_levels"]
    return problems


def _add_items(merged: MergedData, overlay: LocatedDict) -> list[Problem]:
    """Append the items under 'add'; a question with 'after' goes right after that question."""
    problems = []
    add = overlay.get("add") or {}
    for section in ("themes", "questions", "rules", "referrals"):
        items = add.get(section) or []
        for i, item in enumerate(items):
            position = items.item_positions[i]
            if section == "questions" and isinstance(item, dict) and "after" in item:
                after = item["after"]
                index = _index_of(merged["questions"], after)
                if index is None:
                    problems.append(
                        _missing(overlay, ("add", section, i, "after"), "questions", after, merged)
                    )
                    continue
                merged["questions"].insert(index + 1, _without(item, "after"))
                merged["questions"].item_positions.insert(index + 1, position)
            else:
                merged[section].append(item)
                merged[section].item_positions.append(position)
    return problems


def _index_of(items: list[Any], item_id: Any) -> int | None:
    for index, item in enumerate(items):
        if (item.get("id") if isinstance(item, dict) else item) == item_id:
            return index
    return None


def _remove(items: LocatedList, item_id: Any) -> bool:
    index = _index_of(items, item_id)
    if index is None:
        return False
    del items[index]
    del items.item_positions[index]
    return True


def _without(item: LocatedDict, key: str) -> LocatedDict:
    copy = LocatedDict((k, v) for k, v in item.items() if k != key)
    copy.position = item.position
    copy.key_positions = {k: v for k, v in item.key_positions.items() if k != key}
    copy.value_positions = {k: v for k, v in item.value_positions.items() if k != key}
    return copy


def _missing(overlay, path, section, item_id, merged) -> Problem:
    known = [(i.get("id") if isinstance(i, dict) else i) for i in merged[section]]
    return Problem(
        f"the base has no {section[:-1].replace('_', ' ')} '{item_id}'",
        locate(overlay, path),
        format_path(path),
        hint=did_you_mean(item_id, [k for k in known if isinstance(k, str)]),
    )
