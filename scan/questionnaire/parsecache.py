"""Keep parsed YAML files as signed JSON, keyed on their content, so a start skips the parser.

An entry is written only for a file that parsed without problems, so every error is still
found by the parser itself, with its position. Entries are JSON (never pickle), carry an HMAC
over the file's content hash, the reader's code version and the data, and are checked in
full when read: a corrupt, stale or tampered entry is ignored and the file is parsed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import ruamel.yaml

from scan.questionnaire.errors import Position
from scan.questionnaire.located import LocatedDict, LocatedList

FORMAT = 1
# The reader's code: a change to it (or to ruamel.yaml) makes every entry stale.
CODE_VERSION = hashlib.sha256(
    b"".join(
        [
            str(FORMAT).encode(),
            ruamel.yaml.__version__.encode(),
            (Path(__file__).parent / "yamlsource.py").read_bytes(),
            (Path(__file__).parent / "libyaml_reader.py").read_bytes(),
            (Path(__file__).parent / "yaml_construct.py").read_bytes(),
            Path(__file__).read_bytes(),
        ]
    )
).hexdigest()


class Uncacheable(Exception):
    """Raised for located data that JSON cannot hold exactly (such as a time stamp)."""


class ParseCache:
    """A folder of signed JSON entries of parsed YAML files, keyed on their content."""

    def __init__(self, folder: str | Path, key: str | bytes):
        self.folder = Path(folder)
        self.key = key.encode("utf-8") if isinstance(key, str) else key

    def _entry(self, raw: bytes) -> tuple[Path, str]:
        """Return the entry path and the content digest of a file's bytes."""
        digest = hashlib.sha256(raw).hexdigest()
        name = hashlib.sha256(f"{CODE_VERSION}:{digest}".encode()).hexdigest()
        return self.folder / f"{name}.json", digest

    def _mac(self, digest: str, payload: bytes) -> str:
        """Return the HMAC of an entry's content digest, code version and data."""
        message = f"{CODE_VERSION}:{digest}:".encode() + payload
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def get(self, raw: bytes, name: str) -> Any | None:
        """Return the located data stored for these bytes, or None when there is no sound entry."""
        path, digest = self._entry(raw)
        try:
            stored = path.read_bytes()
        except OSError:
            return None
        mac, _, payload = stored.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(digest, payload).encode()):
            return None
        try:
            return decode(json.loads(payload), name)
        except (ValueError, TypeError, IndexError, RecursionError):
            return None

    def put(self, raw: bytes, data: Any) -> None:
        """Store located data for these bytes, unless JSON cannot hold it or writing fails."""
        try:
            payload = json.dumps(encode(data), separators=(",", ":"), allow_nan=False).encode()
        except (Uncacheable, ValueError):
            return
        path, digest = self._entry(raw)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(self._mac(digest, payload).encode() + b"\n" + payload)
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one
        except OSError:
            return


def encode(node: Any) -> Any:
    """Turn located data into JSON: lists tagged "d" (mapping), "l" (list), "t" (date)."""
    if isinstance(node, LocatedDict):
        return [
            "d",
            node.position.line,
            node.position.column,
            [
                [
                    key,
                    node.key_positions[key].line,
                    node.key_positions[key].column,
                    node.value_positions[key].line,
                    node.value_positions[key].column,
                    encode(value),
                ]
                for key, value in node.items()
            ],
        ]
    if isinstance(node, LocatedList):
        return [
            "l",
            node.position.line,
            node.position.column,
            [
                [pos.line, pos.column, encode(item)]
                for pos, item in zip(node.item_positions, node, strict=True)
            ],
        ]
    if node is None or type(node) in (str, int, float, bool):
        return node
    if type(node) is dt.date:
        return ["t", node.isoformat()]
    raise Uncacheable(f"unexpected {type(node).__name__}")


def decode(item: Any, name: str) -> Any:
    """Rebuild located data from encode's JSON; raise ValueError when it is not well-formed."""
    if isinstance(item, list):
        if item[0] == "t":
            _, text = item
            return dt.date.fromisoformat(text)
        tag, line, column, children = item
        here = _position(name, line, column)
        if tag == "d":
            out = LocatedDict()
            out.position = here
            out.key_positions, out.value_positions = {}, {}
            for key, k_line, k_col, v_line, v_col, value in children:
                if not isinstance(key, str):
                    raise ValueError("a key must be text")
                out.key_positions[key] = _position(name, k_line, k_col)
                out.value_positions[key] = _position(name, v_line, v_col)
                out[key] = decode(value, name)
            return out
        if tag == "l":
            out_list = LocatedList()
            out_list.position = here
            out_list.item_positions = []
            for i_line, i_col, value in children:
                out_list.item_positions.append(_position(name, i_line, i_col))
                out_list.append(decode(value, name))
            return out_list
        raise ValueError(f"unknown node {tag!r}")
    if item is None or type(item) in (str, int, float, bool):
        return item
    raise ValueError("not located data")


def _position(name: str, line: Any, column: Any) -> Position:
    """Return a position, refusing anything but positive whole numbers."""
    if type(line) is not int or type(column) is not int or line < 1 or column < 1:
        raise ValueError("a position needs a line and a column")
    return Position(name, line, column)
