"""The one-active-share migration keeps the oldest of twin shares, with every note, and undoes."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import make_app
from flask_migrate import downgrade, upgrade
from portal_factories import submitted_scan

from scan.platform.extensions import db
from scan.platform.models import Note, Share, utcnow

REVISION, DOWN = "ceb9a4daf06a", "7c1e5a9d2b40"


def _share(scan, org_id: int, **fields) -> Share:
    share = Share(scan=scan, organisation_id=org_id, consent_version="t", **fields)
    db.session.add(share)
    return share


def _org(name: str) -> int:
    """Add an organisation with the columns of this old schema only; return its id.

    The Organisation model has columns that later migrations add, so it cannot load here.
    """
    table = sa.table(
        "organisations",
        *(sa.column(c) for c in ("id", "name", "kind", "active", "created_at")),
    )
    values = {"name": name, "kind": "pvo", "active": True, "created_at": utcnow()}
    return db.session.execute(sa.insert(table).values(**values).returning(table.c.id)).scalar()


def test_migration__withdraws_later_twins_and_keeps_their_notes(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=DOWN)
        org, other = _org("PVO Brabant-Zeeland"), _org("PVO Limburg")
        scan, _ = submitted_scan()
        kept = _share(scan, org, contact_name="Jan")
        twins = [_share(scan, org, contact_name="Jan") for _ in range(2)]
        elsewhere = _share(scan, other)
        withdrawn = _share(scan, org, withdrawn_at=utcnow())
        db.session.flush()
        twins[1].notes.append(Note(author_email="a@pvo.nl", text="Gebeld."))
        db.session.commit()
        ids = [s.id for s in (kept, *twins, elsewhere, withdrawn)]
        db.session.remove()

        upgrade(revision=REVISION)
        rows = {s.id: s for s in db.session.scalars(sa.select(Share))}
        active = sorted(i for i, s in rows.items() if s.withdrawn_at is None)
        assert active == [ids[0], ids[3]]
        assert [n.text for n in rows[ids[0]].notes] == ["Gebeld."]
        assert all(rows[i].contact_name is None for i in ids[1:3])
        assert rows[ids[0]].contact_name == "Jan"
        db.session.remove()

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            indexes = {i["name"] for i in sa.inspect(connection).get_indexes("shares")}
        assert "uq_shares_active" not in indexes
        db.engine.dispose()
