"""The branch organisations a studio admin chooses from when starting a scan for one."""

from __future__ import annotations

from sqlalchemy import select

from scan.platform.extensions import db
from scan.platform.models import Organisation


def branch_organisations() -> list[Organisation]:
    """Return the active branch organisations by name (an admin picks the owner)."""
    return list(
        db.session.scalars(
            select(Organisation).filter_by(kind="branche", active=True).order_by(Organisation.name)
        )
    )


def branch_organisation(organisation_id: int | None) -> Organisation | None:
    """Return the branch organisation with this id, else None."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation if organisation is not None and organisation.kind == "branche" else None
