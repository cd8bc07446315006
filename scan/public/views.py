"""Public pages: landing, quick exit, safe use, privacy, accessibility, deleted, health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request

from scan.platform import languages
from scan.platform.catalog import get_catalog
from scan.platform.extensions import csrf, database_works
from scan.platform.questionnaire_languages import in_page_language
from scan.portal import accounts
from scan.public import branches, securitytxt
from scan.scans import visits
from scan.scans.tokens import current_scan, end_scan_session

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def index():
    """Show what the scan is and which sector scans there are."""
    shown = in_page_language(list(get_catalog().listed.values()))
    return render_template(
        "public/index.html",
        questionnaires=[q for q, _ in shown],
        dutch_only={q.id for q, dutch in shown if dutch},
        owners=branches.owners(),
        branches=branches.branches_with_scans(),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.get("/branche/")
def branch_list():
    """List the branch organisations that offer their members a scan, each with its page."""
    return render_template("public/branches.html", branches=branches.branches_with_scans())


@bp.get("/branche/<slug>")
def branch(slug: str):
    """Show one branch organisation's published scans, the address it sends to its members."""
    organisation = accounts.branch_by_slug(slug)
    if organisation is None:
        abort(404)
    shown = in_page_language(branches.scans_of(organisation.name))
    return render_template(
        "public/branch.html",
        organisation=organisation,
        questionnaires=[q for q, _ in shown],
        dutch_only={q.id for q, dutch in shown if dutch},
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.get("/.well-known/security.txt")
def security_txt():
    """Say where to report a vulnerability (RFC 9116); 404 while no contact is configured."""
    text = securitytxt.render()
    if text is None:
        abort(404)
    return text, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/weg", methods=["GET", "POST"])
@csrf.exempt  # leaving must always work, also from an expired form; it only ends a session
def leave():
    """Quick exit: end the scan session (server-side too) and send the visitor to a neutral site.

    A link or form on another site (Sec-Fetch-Site: cross-site) only redirects: it may not
    end someone's scan session. Our own button, a typed address and old browsers end it.
    """
    if request.headers.get("Sec-Fetch-Site") != "cross-site":
        end_scan_session()
    response = redirect(current_app.config["QUICK_EXIT_URL"], 303)
    languages.forget_choice(response)  # nothing left behind that says a language was chosen
    return response


@bp.get("/veilig-gebruiken")
def safe_use():
    """Explain how to use the scan without others finding out: history, private windows."""
    return render_template("public/safe_use.html")


@bp.get("/privacy")
def privacy():
    """Explain what the scan stores, who sees it, for how long, and how to delete it."""
    return render_template(
        "public/privacy.html",
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
        visit_organisation=visits.organisation_of(current_scan()),  # this browser's scan
    )


@bp.get("/toegankelijkheid")
def accessibility():
    """State how accessible this website is (toegankelijkheidsverklaring)."""
    return render_template("public/accessibility.html")


@bp.get("/verwijderd")
def deleted():
    """Confirm that a scan was deleted."""
    return render_template("public/deleted.html")


@bp.get("/healthz")
def healthz():
    """Answer 200 when the app and its database work."""
    if not database_works():
        return {"status": "database unavailable"}, 503
    return {"status": "ok", "questionnaires": len(get_catalog().latest)}
