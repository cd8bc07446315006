"""A double-clicked share makes one share: the database allows one active share per organisation."""

from __future__ import annotations

import threading

import pytest
from portal_factories import make_org, submitted_scan
from sqlalchemy.exc import IntegrityError

from scan.platform.extensions import db
from scan.platform.models import Share, ShareChainTag, utcnow
from scan.scans import sharing as shares

CLICKS = 3
ROUNDS = 4


@pytest.fixture
def race_app(db_app):
    # The race is about the database, not the form: the clicks post without a CSRF token.
    db_app.config["WTF_CSRF_ENABLED"] = False
    return db_app


def _click_together(app, token: str, data: dict) -> list[tuple[int, str]]:
    """Post the share form from CLICKS threads at the same moment; return codes and pages."""
    barrier = threading.Barrier(CLICKS)
    answers: list[tuple[int, str]] = []

    def click():
        client = app.test_client()
        assert client.get(f"/scan/{token}/").status_code == 303  # opens the scan session
        barrier.wait()
        response = client.post("/scan/delen", data=data)
        answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_share__double_click__one_active_share(race_app):
    with race_app.app_context():
        org_id = make_org("PVO Brabant-Zeeland").id
        scans = [submitted_scan() for _ in range(ROUNDS)]
        rounds = [(scan.id, token) for scan, token in scans]
    for scan_id, token in rounds:
        data = {"organisation": str(org_id), "consent": "y", "name": "Jan"}
        answers = _click_together(race_app, token, data)
        # A click that starts after another one's share is stored is told so (400, as any
        # repeated share); a click that races with it gets the share it made (302).
        codes = sorted(code for code, _ in answers)
        assert len(codes) == CLICKS and codes[0] == 302 and set(codes) <= {302, 400}
        assert all("U deelt uw scan al met" in text for code, text in answers if code == 400)
        with race_app.app_context():
            active = db.session.scalars(
                db.select(Share).filter_by(scan_id=scan_id, withdrawn_at=None)
            ).all()
            assert len(active) == 1


def test_create_share__again__returns_the_active_share(db_app):
    with db_app.app_context():
        org = make_org("PVO Limburg")
        scan, _ = submitted_scan()
        first, new = shares.create_share(db.session, scan, org)
        again, new_again = shares.create_share(db.session, scan, org, shares.Contact(name="Jan"))
        assert (new, new_again) == (True, False)
        assert again.id == first.id and again.contact_name is None


def test_two_active_shares__refused_by_the_database(db_app):
    with db_app.app_context():
        org = make_org("PVO Limburg")
        scan, _ = submitted_scan()
        shares.create_share(db.session, scan, org)
        db.session.add(Share(scan_id=scan.id, organisation_id=org.id, consent_version="t"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # A withdrawn share does not count: sharing again after withdrawing stays possible.
        for share in db.session.scalars(db.select(Share)):
            share.withdrawn_at = utcnow()
        db.session.add(Share(scan_id=scan.id, organisation_id=org.id, consent_version="t"))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 2


def test_share__again_after_it_is_stored__says_so(race_app):
    with race_app.app_context():
        org_id = make_org("PVO Limburg").id
        _, token = submitted_scan()
    client = race_app.test_client()
    client.get(f"/scan/{token}/")
    data = {"organisation": str(org_id), "consent": "y"}
    assert client.post("/scan/delen", data=data).status_code == 302
    again = client.post("/scan/delen", data=data)
    assert again.status_code == 400
    assert "U deelt uw scan al met PVO Limburg." in again.get_data(as_text=True)
    assert "niets opgeslagen" not in again.get_data(as_text=True)


def test_create_share__with_its_chain_tag__one_transaction(db_app, monkeypatch):
    with db_app.app_context():
        org = make_org("PVO Gelderland")
        scan, _ = submitted_scan()

        def refuse(*args, **kwargs):
            raise RuntimeError("audit log down")

        # When the change fails after the tag was added, neither the share nor its tag stays.
        monkeypatch.setattr(shares.audit, "record", refuse)
        with pytest.raises(RuntimeError):
            shares.create_share(db.session, scan, org, chain_tag="tag-1")
        db.session.rollback()
        assert db.session.scalars(db.select(Share).filter_by(scan_id=scan.id)).all() == []
        assert db.session.scalars(db.select(ShareChainTag)).all() == []
        monkeypatch.undo()
        share, created = shares.create_share(db.session, scan, org, chain_tag="tag-1")
        tags = db.session.scalars(db.select(ShareChainTag).filter_by(share_id=share.id)).all()
        assert created and [t.tag for t in tags] == ["tag-1"]
