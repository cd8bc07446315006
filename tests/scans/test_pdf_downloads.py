"""PDF downloads: rendered once per scan, the adviser's copy again when the notes change."""

from __future__ import annotations

import io

import pytest
from portal_factories import FAST_HASHER, csrf_token, login, make_portal
from pypdf import PdfReader
from sqlalchemy import select

import scan.report
import scan.scans.report_pdf
from scan.platform.extensions import db
from scan.platform.models import ReportPdf
from scan.portal import accounts


@pytest.fixture
def world(app, monkeypatch):
    """The standard portal; return its ids and the list of render_pdf calls."""
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    renders = []
    real = scan.report.render_pdf

    def counted(*args, **kwargs):
        renders.append(kwargs.get("adviser_notes"))
        return real(*args, **kwargs)

    monkeypatch.setattr(scan.scans.report_pdf, "render_pdf", counted)  # both PDF routes
    with app.app_context():
        p = make_portal()
        ids = {"share": p.share.public_id, "token": p.token, "renders": renders}
    return ids


def variants(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(ReportPdf.variant)))


def text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_entrepreneur_pdf__rendered_once_then_served(app, client, world):
    assert client.get(f"/scan/{world['token']}/").status_code == 303  # open the personal link
    url = "/scan/rapport.pdf"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and first.data.startswith(b"%PDF")
    assert len(world["renders"]) == 1
    assert variants(app) == ["scan"]


def test_adviser_pdf__rendered_again_only_when_the_notes_change(app, client, world):
    login(client, "adviseur@pvo-bz.nl")
    detail = f"/adviseur/scans/{world['share']}"
    url = f"{detail}/rapport.pdf?notities=1"

    def add_note(note: str):
        token = csrf_token(client, detail)
        response = client.post(f"{detail}/notities", data={"csrf_token": token, "text": note})
        assert response.status_code == 302

    add_note("Eerste gesprek gehad.")
    first, again = client.get(url), client.get(url)
    assert again.data == first.data and len(world["renders"]) == 1
    add_note("Bezoek gepland in januari.")
    changed = client.get(url)
    assert len(world["renders"]) == 2
    assert "Bezoek gepland in januari." in text(changed)
    client.get(f"{detail}/rapport.pdf")  # without notes: a copy of its own
    assert len(world["renders"]) == 3
    assert len(variants(app)) == 2


def test_withdrawn_share__adviser_copies_deleted(app, client, world):
    login(client, "adviseur@pvo-bz.nl")
    client.get(f"/adviseur/scans/{world['share']}/rapport.pdf?notities=1")
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/")})
    assert client.get(f"/scan/{world['token']}/").status_code == 303  # open the personal link
    withdraw = f"/scan/delen/{world['share']}/intrekken"
    response = client.post(withdraw, data={"csrf_token": csrf_token(client, withdraw)})
    assert response.status_code == 302
    assert variants(app) == []
