"""The YAML texts the studio writes for a branch organisation: a starter overlay, a new version.

Plain text work, no database: set a document's `version:` line or the version its `extends:`
points to, and write the first draft of an overlay on a shipped questionnaire.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from ruamel.yaml import YAML

from scan.questionnaire import Catalog, Questionnaire

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


def starter_overlay(
    questionnaire_id: str, base: Questionnaire, organisation: str, catalog: Catalog
) -> str:
    """Return a commented overlay on a base that loads as is and keeps the base's examples."""
    examples = _base_examples(base, catalog)
    lines = [
        f"# Uw eigen versie van '{base.title}' (versie {base.version}).",
        "# Alles wat u hier niet verandert, komt uit de basisscan.",
        "# Druk op 'Controleren' om fouten en tips te zien, met het regelnummer.",
        f"id: {questionnaire_id}",
        "version: 1",
        f"extends: {{id: {base.id}, version: {base.version}}}",
        f"title: {_quoted(base.title + ' (' + organisation + ')')}",
        "listed: false   # true: de scan staat ook op de startpagina",
        "",
        "# Vragen, thema's en adviezen toevoegen:",
        "# add:",
        "#   questions:",
        f"#     - after: {base.questions[0].id}   # na deze vraag van de basisscan",
        "#       id: eigen_vraag",
        f"#       theme: {base.themes[0].id}",
        "#       text: Heeft u een vaste contactpersoon bij de politie?",
        "#       help: Dan weet u wie u kunt bellen als er iets gebeurt.",
        "#       type: yes_no",
        "#       good_answer: ja",
        "#       required: true   # verplicht; de foutmelding zegt wat de ondernemer moet doen:",
        "#       error_message: Kies of u een vaste contactpersoon bij de politie heeft.",
        "#",
        "# Een hele vraag, een thema of een advies vervangen (op id):",
        "# replace:",
        "#   themes:",
        f"#     - {{id: {base.themes[0].id}, title: ..., description: ..., weight: 2}}",
        "#",
        "# Iets weglaten:",
        "# remove:",
        f"#   questions: [{base.questions[-1].id}]",
        "",
        "# Voorbeelden: antwoorden met de uitkomst die u verwacht ('Voorbeelden testen').",
        "# Dit zijn de voorbeelden van de basisscan.",
    ]
    if examples:
        lines.append(_dump({"examples": examples}).rstrip())
    else:
        lines.append("examples: []")
    return "\n".join(lines) + "\n"


def _base_examples(base: Questionnaire, catalog: Catalog) -> list[dict[str, Any]]:
    examples = []
    for example in base.examples:
        expect = example.expect.model_dump(mode="json", exclude_defaults=True)
        entry = {"name": example.name}
        if example.description:
            entry["description"] = example.description
        entry["answers"] = json.loads(json.dumps(example.answers, default=str))
        entry["expect"] = expect
        examples.append(entry)
    return examples


def _dump(data: Any) -> str:
    yaml = YAML(typ="rt", pure=True)  # keeps the keys in the order written
    yaml.default_flow_style = None
    yaml.width = 100
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
