"""The branch organisation an admin names as a new tailored scan's owner."""

from __future__ import annotations

from scan.platform.extensions import db
from scan.platform.models import Organisation


def branch_organisation(organisation_id: int | None) -> Organisation | None:
    """Return the branch organisation with this id, else None."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation if organisation is not None and organisation.kind == "branche" else None
