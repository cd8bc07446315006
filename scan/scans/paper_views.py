"""The questionnaire on paper: a printable page for a kitchen-table visit (issue 25).

Any questionnaire in the catalog, shipped or a branch's published version, at
/scan/<questionnaire_id>/afdrukken, linked as "Vragenlijst afdrukken" from its own page.
Public like that page: it holds no scan, no answers and no scores.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from scan.platform import languages
from scan.platform.catalog import get_catalog
from scan.platform.questionnaire_languages import for_reader
from scan.questionnaire import UnknownQuestionnaire
from scan.scans.page_words import PAGE_WORDS
from scan.scans.printable import paper_questionnaire

bp = Blueprint("paper", __name__, url_prefix="/scan", template_folder="templates")


@bp.get("/<questionnaire_id>/afdrukken")
def questionnaire(questionnaire_id: str):
    """Show every question of a questionnaire, ready to print on A4."""
    try:
        q = get_catalog().get(questionnaire_id)
    except UnknownQuestionnaire:
        abort(404)
    q = for_reader(q, languages.current_language())  # the page's language, else Dutch whole
    return render_template("scans/printable.html", q=q, themes=paper_questionnaire(q, PAGE_WORDS))
