"""Writing a questionnaire's translation file: every Dutch text out, the translations kept.

`flask questionnaires translations` runs this for every shipped questionnaire and the
registry. Each text becomes one entry (msgctxt the id path, msgid the Dutch text). A
translation whose Dutch text changed is kept but marked fuzzy, with the old Dutch as
`#| msgid`, so the translator sees what changed; a text whose id is gone is dropped. Only the
extraction is automatic: a person writes the translations.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from scan.questionnaire.translations import read_catalog


def updated_catalog(
    texts: list[tuple[str, str]], old: Catalog | None, language: str, project: str
) -> Catalog:
    """Return the catalog for these Dutch texts, keeping each translation that still fits."""
    previous = {}
    if old is not None:
        previous = {m.context: m for m in old if m.id and m.context}
    catalog = Catalog(locale=language, project=project, fuzzy=False)
    for context, dutch in texts:
        before = previous.get(context)
        if before is None or not before.string:
            catalog.add(dutch, "", context=context)
        elif before.id == dutch:
            catalog.add(dutch, before.string, context=context, flags=before.flags)
        else:
            catalog.add(
                dutch,
                before.string,
                context=context,
                flags={"fuzzy"},
                previous_id=before.id,
            )
    return catalog


def write_translation(
    path: Path, texts: list[tuple[str, str]], language: str, project: str
) -> tuple[int, int]:
    """Create or update one translation file; return (texts, texts still to translate)."""
    old = read_catalog(path)[0] if path.exists() else None
    catalog = updated_catalog(texts, old, language, project)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, include_previous=True)
    path.write_bytes(buffer.getvalue())
    todo = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return len(texts), todo
