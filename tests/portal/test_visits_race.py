"""Double clicks in a visit, with real threads on SQLite and PostgreSQL: one choice, one note."""

from __future__ import annotations

from portal_factories import make_org, make_user
from race_support import together

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, Share
from scan.platform.visit_models import Visit, VisitNote
from scan.scans import sharing, store, visits

CLICKS = 3


def _visit(app, submitted: bool = True) -> tuple[int, str]:
    """Start a visit of a fresh organisation, submitted with example answers; return id, token."""
    with app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        adviser = make_user("adviseur@pvo-bz.nl", "adviser", org)
        q = get_catalog().get("vastgoed")
        visit, scan, token = visits.start_visit(q, adviser, "bezoek", 90)
        if submitted:
            scan.answers = dict(q.examples[0].answers)
            store.submit_scan(scan, q)
        return visit.id, token


def _in_app(app, job):
    def run():
        with app.app_context():
            try:
                return job()
            finally:
                db.session.remove()

    return run


def test_consent__double_click_and_a_no_at_once__one_choice_recorded(db_app):
    visit_id, token = _visit(db_app)

    def agree():
        visit = db.session.get(Visit, visit_id)
        visits.share_and_end(visit, token, sharing.Contact(name="Jan"))

    def refuse():
        visits.end_without_sharing(db.session.get(Visit, visit_id))

    results = together(*(_in_app(db_app, agree) for _ in range(CLICKS)), _in_app(db_app, refuse))
    expected = (store.ScanBusy, visits.VisitError)  # busy, or ended by another click
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, expected)]
    with db_app.app_context():
        visit = db.session.get(Visit, visit_id)
        ended = db.session.scalars(db.select(AuditEvent).filter_by(action="visit_ended")).all()
        shares = db.session.scalars(db.select(Share).filter_by(scan_id=visit.scan_id)).all()
        assert len(ended) == 1 and visit.ended_at is not None
        # What was recorded is what happened: "ja" and one share, or "nee" and none.
        assert ended[0].detail.endswith("ja" if visit.consent else "nee")
        assert len(shares) == (1 if visit.consent else 0)
        if visit.consent:
            assert ended[0].share_public_id == shares[0].public_id


def test_observation__double_click__one_observation(db_app):
    visit_id, _ = _visit(db_app, submitted=False)
    post = visits.ThemePost("klanten", "Hek staat open.", "Hangslot kopen", "Piet", "")

    def save():
        visits.save_theme_notes(db.session.get(Visit, visit_id), post)

    results = together(*(_in_app(db_app, save) for _ in range(CLICKS)))
    assert not [
        r for r in results if isinstance(r, Exception) and not isinstance(r, store.ScanBusy)
    ]
    with db_app.app_context():
        notes = db.session.scalars(db.select(VisitNote).filter_by(visit_id=visit_id)).all()
        assert [n.text for n in notes if n.kind == "observation"] == ["Hek staat open."]
        stored = sum(1 for r in results if not isinstance(r, Exception))
        assert len([n for n in notes if n.kind == "action"]) == stored
