"""Public pages for entrepreneurs: the landing page, privacy, a deleted scan, the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import text

from .. import accounts
from ..catalog import get_catalog
from ..extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """Show what the scan is and which sector scans there are."""
    return render_template(
        "public/index.html",
        questionnaires=list(get_catalog().listed.values()),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.get("/branche/<slug>")
def branch(slug: str):
    """Show one branch organisation's published scans, the address it sends to its members."""
    organisation = accounts.branch_by_slug(slug)
    if organisation is None:
        abort(404)
    catalog = get_catalog()
    scans = [
        q
        for q in catalog.latest.values()
        if catalog.owners.get((q.id, q.version)) == organisation.name
    ]
    return render_template(
        "public/branch.html",
        organisation=organisation,
        questionnaires=scans,
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.get("/privacy")
def privacy():
    """Explain what the scan stores and for how long."""
    return render_template("public/privacy.html", ttl_days=current_app.config["SCAN_TTL_DAYS"])


@bp.get("/verwijderd")
def deleted():
    """Confirm that a scan was deleted."""
    return render_template("public/deleted.html")


@bp.get("/healthz")
def healthz():
    """Answer 200 when the app and its database work."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok", "questionnaires": len(get_catalog().latest)}
