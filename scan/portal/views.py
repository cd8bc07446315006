"""The adviser room's pages: the administration here, the rest in one module per job.

Importing this module registers every adviser page on the blueprint: the caseload
(`caseload_views`), one shared scan (`case_views`), trends (`trend_views`).
"""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import func, select

from scan.platform.extensions import db
from scan.platform.models import Organisation, Share, User
from scan.portal import accounts
from scan.portal import case_views as case_views
from scan.portal import caseload_views as caseload_views
from scan.portal import trend_views as trend_views
from scan.portal.auth import roles_required
from scan.portal.pages import ACTION_LABELS, bp, kept_args, page_number

__all__ = ["bp", "case_views", "caseload_views", "trend_views"]


# --- administration --------------------------------------------------------------------------


@bp.get("/beheer/audit")
@roles_required("admin")
def audit():
    """Show the audit log: who did what and when, newest first."""
    action = request.args.get("actie", "")
    reference = request.args.get("referentie", "").strip().lower()
    found = accounts.audit_events(
        action if action in ACTION_LABELS else None, reference, page_number()
    )
    args = kept_args()
    return render_template(
        "advisers/audit.html",
        events=found.items,
        found=found,
        args=args,
        actions=ACTION_LABELS,
        action=action,
        reference=reference,
    )


@bp.get("/beheer/accounts")
@roles_required("admin")
def accounts_page():
    """List organisations and accounts (managed on the command line: flask users ...)."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    users = db.session.scalars(select(User).order_by(User.email)).all()
    shares = dict(
        db.session.execute(
            select(Share.organisation_id, func.count())
            .where(Share.withdrawn_at.is_(None))
            .group_by(Share.organisation_id)
        ).all()
    )
    return render_template(
        "advisers/accounts.html", organisations=organisations, users=users, shares=shares
    )
