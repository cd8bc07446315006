"""The caseload migration gives every existing share its case, found and ordered as the app does."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import make_app
from flask_migrate import downgrade, upgrade
from portal_factories import make_org, raw_scan

from scan.platform.extensions import db
from scan.platform.models import utcnow
from scan.scans import cases as case_records

REVISION, DOWN = "5e1d3a7c9b24", "a7c3e9f2d514"


def _share(public_id: str, scan_id: int, org_id: int, **fields) -> None:
    """Insert a share as the old schema stores it (the ORM model knows the new table too)."""
    row = {
        "public_id": public_id,
        "scan_id": scan_id,
        "organisation_id": org_id,
        "consent_version": "t",
        "consented_at": utcnow(),
        "status": "nieuw",
        "created_at": utcnow(),
        "updated_at": utcnow(),
        "contact_phone": None,
        "contact_company": None,
        "withdrawn_at": None,
        **fields,
    }
    columns = ", ".join(row)
    values = ", ".join(f":{k}" for k in row)
    db.session.execute(sa.text(f"INSERT INTO shares ({columns}) VALUES ({values})"), row)


def test_migration__fills_cases_then_undoes(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=DOWN)
        org = make_org("PVO Brabant-Zeeland")
        red = raw_scan("vastgoed", utcnow(), 30.0, "kwetsbaar", red_flag=True)
        calm = raw_scan("vastgoed", utcnow(), 80.0, "weerbaar")
        db.session.flush()
        scans = {"red": (red.id, red.token_hash), "calm": (calm.id, calm.token_hash)}
        org_id = org.id
        _share("a" * 32, scans["red"][0], org_id, contact_phone="+31 6 1234 5678")
        _share("b" * 32, scans["calm"][0], org_id, status="afgerond", contact_company="Bakkerij")
        _share("c" * 32, scans["calm"][0], org_id, withdrawn_at=utcnow(), contact_company="Weg")
        db.session.commit()
        db.session.remove()

        upgrade(revision=REVISION)
        rows = db.session.execute(
            sa.text(
                "SELECT shares.public_id, share_cases.* FROM share_cases"
                " JOIN shares ON shares.id = share_cases.share_id ORDER BY shares.public_id"
            )
        ).mappings()
        cases = {row["public_id"][0]: row for row in rows}
        assert set(cases) == {"a", "b"}  # a withdrawn share is not in the caseload
        assert [cases[k]["triage"] for k in "ab"] == [0, 3]  # red flag and new; neither
        assert all(cases[k]["organisation_id"] == org_id for k in "ab")
        assert all(cases[k]["shared_at"] is not None for k in "ab")
        terms = {}
        for share_id, term in db.session.execute(
            sa.text("SELECT share_id, term FROM share_search_terms")
        ):
            terms.setdefault(share_id, set()).add(term)
        assert "0612345678" in terms[cases["a"]["share_id"]]
        assert scans["red"][1][:8].lower() in terms[cases["a"]["share_id"]]  # the PDF's reference
        assert "aaaaaaaa" in terms[cases["a"]["share_id"]]  # the share's reference
        assert terms[cases["b"]["share_id"]] == case_records.search_terms(
            "b" * 32, scans["calm"][1], None, "Bakkerij", None, None
        )
        assert len(terms) == 2  # nothing for the withdrawn share
        db.session.remove()

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            assert "share_cases" not in tables and "share_search_terms" not in tables
        db.engine.dispose()
