"""The base in view and the author's help: the base tab, the ids the editor completes, the guide.

Routes of the studio blueprint (scan/studio/views.py); they only read.
"""

from __future__ import annotations

from flask import render_template

from scan.platform.catalog import get_catalog
from scan.portal.auth import roles_required
from scan.questionnaire import Questionnaire
from scan.questionnaire.outline import completion_ids, outline
from scan.questionnaire.values import PRIORITY_LABELS
from scan.studio import document_checks
from scan.studio.views import ROLES, base_of, bp, document_or_404


@bp.get("/<public_id>/basis")
@roles_required(*ROLES)
def base(public_id: str):
    """Show the base scan an author tailors: themes, questions, options, rules, what reads what."""
    doc = document_or_404(public_id)
    shown = base_of(doc) or _loaded(doc)
    return render_template(
        "studio/base.html",
        doc=doc,
        outline=outline(shown) if shown else None,
        own=base_of(doc) is None,
        priorities=PRIORITY_LABELS,
    )


@bp.get("/<public_id>/ids.json")
@roles_required(*ROLES)
def ids(public_id: str):
    """Return the ids the editor completes: the document's own when it loads, else its base's."""
    doc = document_or_404(public_id)
    shown = _loaded(doc) or base_of(doc)
    return completion_ids(shown) if shown else {}


@bp.get("/handleiding")
@roles_required(*ROLES)
def guide():
    """Explain the overlay format in plain Dutch, with an example of each kind of change."""
    return render_template("studio/guide.html")


def _loaded(doc) -> Questionnaire | None:
    report = document_checks.check_document(doc, doc.source, get_catalog())
    return None if report.errors else report.questionnaire
