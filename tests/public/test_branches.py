"""Members find their branch's scan: the landing page, /branche/ and each branch page."""

from __future__ import annotations

from portal_factories import make_org
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog, invalidate
from scan.platform.extensions import db
from scan.studio import documents


def _publish(app, organisation: str, text: str) -> None:
    with app.app_context():
        org = make_org(organisation, kind="branche")
        doc, _ = documents.import_text(org, "test", text, get_catalog())
        documents.publish(doc, "test", get_catalog())
        db.session.commit()
        invalidate()


def test_branch_list__only_branches_with_published_scans__each_links_to_its_page(app, client):
    assert "nog geen scans van brancheorganisaties" in client.get("/branche/").get_data(
        as_text=True
    )
    _publish(app, "Recron", OVERLAY)
    with app.app_context():
        make_org("HISWA", kind="branche")  # no scan: not listed
        make_org("PVO Limburg")  # not a branch organisation
    page = client.get("/branche/").get_data(as_text=True)
    assert '<a href="/branche/recron">Recron</a>' in page
    assert "Voorbeeldscan voor vakantieparken" in page
    assert "HISWA" not in page and "PVO Limburg" not in page


def test_landing__leads_to_the_branch_pages__and_names_the_owner(app, client):
    landing = client.get("/").get_data(as_text=True)
    assert 'id="branches"' not in landing  # no branch scans yet: no such section
    _publish(app, "Recron", OVERLAY)
    landing = client.get("/").get_data(as_text=True)
    assert '<a href="/branche/recron">Recron</a>' in landing
    assert 'href="/branche/"' in landing
    assert "· van Recron</p>" in landing  # the listed branch scan names its organisation
    branch = client.get("/branche/recron").get_data(as_text=True)
    assert "Voorbeeldscan voor vakantieparken" in branch and "· van Recron</p>" in branch
    assert 'href="/branche/"' in branch
