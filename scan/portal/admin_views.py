"""The administrators' pages of the portal: the audit log and the accounts.

Routes of the advisers blueprint (scan/portal/views.py).
"""

from __future__ import annotations

from flask import (
    render_template,
    request,
)

from scan.portal import accounts
from scan.portal.auth import roles_required
from scan.portal.views import (
    ACTION_LABELS,
    bp,
    page_number,
)


@bp.get("/beheer/audit")
@roles_required("admin")
def audit():
    """Show the audit log: who did what and when, newest first."""
    action = request.args.get("actie", "")
    reference = request.args.get("referentie", "").strip().lower()
    found = accounts.audit_events(
        action if action in ACTION_LABELS else None, reference, page_number()
    )
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template(
        "advisers/audit.html",
        events=found.items,
        found=found,
        args=args,
        actions=ACTION_LABELS,
        action=action,
        reference=reference,
    )
