"""Write a form's question, rule or own referral into the author's YAML text.

The text stays the source of truth: the studio's forms change it the way an author would, and
the editor shows the result. ruamel.yaml's round-trip mode is used here because it keeps the
author's comments, key order, quoting and flow style (`extends: {id: ..}`) when a text is read,
changed and written back; PyYAML drops comments. The loader itself keeps PyYAML's safe C loader
(scan/questionnaire/libyaml_reader.py): this module only writes. Plain text work, no database.

Where an item goes:
- a question or rule of the overlay's own (`add:`), matched by id, is changed in place;
- one of the base is written to `replace:` as a whole item (replace needs the whole item);
- a new one is appended to `add:`; an own referral goes to `new_referrals:` (and to
  `add.referrals` when it is shown with every result).
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


class TextNotReadable(Exception):
    """The author's text is not a YAML mapping (yet): a form cannot change it safely."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _read(text: str) -> CommentedMap:
    try:
        data = _yaml().load(text)
    except YAMLError as error:
        raise TextNotReadable(str(error)) from error
    if not isinstance(data, CommentedMap):
        raise TextNotReadable("not a mapping")
    return data


def _write(data: CommentedMap) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def _section(data: CommentedMap, key: str) -> CommentedMap:
    """Return the top-level mapping `key` (add, replace), made before `examples` if missing."""
    section = data.get(key)
    if isinstance(section, CommentedMap):
        return section
    section = CommentedMap()
    keys = list(data.keys())
    data.insert(keys.index("examples") if "examples" in keys else len(keys), key, section)
    return section


def _list(mapping: CommentedMap, key: str) -> CommentedSeq:
    items = mapping.get(key)
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq()
        mapping[key] = items
    return items


def _index_of(items: Any, item_id: str) -> int | None:
    if not isinstance(items, list):
        return None
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            return index
    return None


def _put(data: CommentedMap, kind: str, item: dict[str, Any], in_base: bool) -> None:
    """Change the overlay's own item in place, else replace the base's, else add it."""
    for section_key in ("add", "replace"):
        section = data.get(section_key)
        items = section.get(kind) if isinstance(section, dict) else None
        index = _index_of(items, item["id"])
        if index is not None and isinstance(items, list):
            old = items[index]
            if section_key == "add" and "after" in old and "after" not in item:
                item = {"after": old["after"], **item}
            items[index] = _mapping(item)
            return
    target = _section(data, "replace" if in_base else "add")
    _list(target, kind).append(_mapping(item))


def _mapping(item: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap()
    for key, value in item.items():
        if isinstance(value, dict):
            mapping[key] = _mapping(value)
        elif isinstance(value, list):
            mapping[key] = CommentedSeq(_mapping(v) if isinstance(v, dict) else v for v in value)
        else:
            mapping[key] = value
    return mapping


def put_question(text: str, question: dict[str, Any], in_base: bool) -> str:
    """Return the text with this question added, changed or (a base question) replaced."""
    data = _read(text)
    _put(data, "questions", question, in_base)
    return _write(data)


def put_rule(text: str, rule: dict[str, Any], in_base: bool) -> str:
    """Return the text with this advice rule added, changed or (a base rule) replaced."""
    data = _read(text)
    _put(data, "rules", rule, in_base)
    return _write(data)


def put_referral(text: str, referral: dict[str, Any], always_shown: bool) -> str:
    """Return the text with this own referral in `new_referrals` (and `add.referrals`)."""
    data = _read(text)
    own = data.get("new_referrals")
    if not isinstance(own, CommentedSeq):
        own = CommentedSeq()
        keys = list(data.keys())
        at = keys.index("examples") if "examples" in keys else len(keys)
        data.insert(at, "new_referrals", own)
    index = _index_of(own, referral["id"])
    if index is None:
        own.append(_mapping(referral))
    else:
        own[index] = _mapping(referral)
    shown = data.get("add", {}).get("referrals") if isinstance(data.get("add"), dict) else None
    if always_shown and not (isinstance(shown, list) and referral["id"] in shown):
        _list(_section(data, "add"), "referrals").append(referral["id"])
    elif not always_shown and isinstance(shown, list) and referral["id"] in shown:
        shown.remove(referral["id"])
    return _write(data)


def own_item(text: str, kind: str, item_id: str) -> dict[str, Any] | None:
    """Return the overlay's own entry of this id (`add:`, `replace:` or new_referrals)."""
    try:
        data = _read(text)
    except TextNotReadable:
        return None
    places = [data.get("new_referrals")] if kind == "referrals" else []
    for section_key in ("add", "replace"):
        section = data.get(section_key)
        if isinstance(section, dict):
            places.append(section.get(kind))
    for items in places:
        index = _index_of(items, item_id)
        if index is not None and isinstance(items, list):
            return _plain(items[index])
    return None


def own_referrals(text: str) -> list[tuple[str, str]]:
    """Return (id, name) of the overlay's own referrals (`new_referrals`), in text order."""
    try:
        own = _read(text).get("new_referrals")
    except TextNotReadable:
        return []
    if not isinstance(own, list):
        return []
    return [
        (str(r["id"]), str(r.get("name", r["id"])))
        for r in own
        if isinstance(r, dict) and "id" in r
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
