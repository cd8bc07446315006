"""The pages that keep an author's work: the conflict page when another author saved first.

Rendering only, for the editor's save (views.py) and the restore of an earlier save
(draft_views.py); the services are in drafts.py and documents.py.
"""

from __future__ import annotations

import difflib

from flask import render_template

from scan.platform.models import QuestionnaireDocument


def differences(theirs: str, yours: str) -> list[tuple[str, str]]:
    """Return the lines that differ as (kind, line): 'weg' only theirs, 'bij' only yours."""
    rows = []
    for line in difflib.unified_diff(theirs.split("\n"), yours.split("\n"), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        kind = {"-": "weg", "+": "bij", "@": "plek"}.get(line[:1], "zelfde")
        rows.append((kind, line[1:] if kind != "plek" else "…"))
    return rows


def conflict(doc: QuestionnaireDocument, yours: str):
    """Show both texts: the one saved meanwhile and the author's own, which is not lost."""
    return render_template(
        "studio/conflict.html",
        doc=doc,
        theirs=doc.source,
        yours=yours,
        differences=differences(doc.source, yours),
    ), 409
