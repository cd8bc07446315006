"""Which branch organisation offers which published scans: the /branche/ pages and the landing.

Reads the catalog (each published document's owner) and the active branch organisations; no
writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from scan.platform.catalog import get_catalog
from scan.portal import accounts
from scan.questionnaire import Questionnaire


@dataclass(frozen=True)
class Branch:
    """A branch organisation with its page address and its published scans."""

    name: str
    slug: str
    questionnaires: tuple[Questionnaire, ...]


def scans_of(name: str) -> tuple[Questionnaire, ...]:
    """Return the newest published version of each scan this organisation owns."""
    catalog = get_catalog()
    return tuple(
        q for q in catalog.latest.values() if catalog.owners.get((q.id, q.version)) == name
    )


def branches_with_scans() -> list[Branch]:
    """Return the active branch organisations that have a published scan, by name."""
    found = [
        Branch(o.name, accounts.slug(o.name), scans_of(o.name))
        for o in accounts.branch_organisations()
    ]
    return [b for b in found if b.questionnaires]


def owners() -> dict[str, str]:
    """Return the owning organisation's name per questionnaire id (shipped scans have none)."""
    catalog = get_catalog()
    return {
        q.id: name
        for q in catalog.latest.values()
        if (name := catalog.owners.get((q.id, q.version)))
    }
