"""Public pages for entrepreneurs: the landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from ..catalog import get_catalog
from ..extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """Show what the scan is and which sector scans there are."""
    return render_template("public/index.html", questionnaires=get_catalog().latest.values())


@bp.get("/healthz")
def healthz():
    """Answer 200 when the app and its database work."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok", "questionnaires": len(get_catalog().latest)}
