"""The YAML texts the studio writes for a branch organisation: a new version, a new base.

Plain text work, no database: set a document's `version:` line or the version its `extends:`
points to. The starter overlay of a new draft is written by scan/studio/starter.py.
"""

from __future__ import annotations

import re

_VERSION_LINE = re.compile(r"^version:[ \t]*\S*[ \t]*$", re.M)
_EXTENDS_FLOW = re.compile(r"^(extends:[ \t]*\{[^}\n]*\bversion:[ \t]*)\d+", re.M)
_EXTENDS_BLOCK = re.compile(r"^(extends:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+version:[ \t]*)\d+", re.M)


def set_version(text: str, version: int) -> str:
    """Return the text with its top-level 'version:' line set to this version."""
    if _VERSION_LINE.search(text):
        return _VERSION_LINE.sub(f"version: {version}", text, count=1)
    return text


def set_extends_version(text: str, version: int) -> str:
    """Return the text with the version in its 'extends' set to this version."""
    for pattern in (_EXTENDS_FLOW, _EXTENDS_BLOCK):
        if pattern.search(text):
            return pattern.sub(lambda m: f"{m.group(1)}{version}", text, count=1)
    return text
