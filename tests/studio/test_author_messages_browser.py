"""The jump to a line in headless Chromium: from the publish page, a message's link opens the
editor with the cursor on that line of the author's text (studio-jump.js)."""

from __future__ import annotations

import pytest
from browser_support import serve, wait_until
from conftest import create_tables, make_app
from portal_factories import FAST_HASHER, PASSWORD, make_org, make_user
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.portal import accounts
from scan.studio import documents

pytestmark = pytest.mark.browser

FAILING_EXAMPLE = """\
examples:
  - name: sleutels kwijt
    answers: {sleutelbeheer: nee}
    expect:
      not_fired: [sleutels_bijhouden]
"""


@pytest.fixture
def draft_server(tmp_path, monkeypatch):
    """A branch admin's draft whose example fails; yield the base URL and the draft's id."""
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jump.sqlite'}"})
    with app.app_context():
        create_tables()
        recron = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
        doc, _ = documents.import_text(recron, "test", OVERLAY, get_catalog())
        doc.source = OVERLAY + FAILING_EXAMPLE
        db.session.commit()
        public_id = doc.public_id
    with serve(app) as base:
        yield base, public_id


def test_publish_page__message_link__editor_opens_with_the_cursor_on_that_line(
    draft_server, browser
):
    base, public_id = draft_server
    text = OVERLAY + FAILING_EXAMPLE
    line = text.split("\n").index("  - name: sleutels kwijt") + 1
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(base + "/inloggen")
    page.fill("#email", "branche@recron.nl")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    page.goto(f"{base}/studio/{public_id}/publiceren")
    assert "0 van 1 voorbeelden kloppen." in page.locator("#voorbeelden-kloppen").inner_text()
    message = page.locator(".studio-problems li").first.inner_text()
    assert "Voorbeeld 'sleutels kwijt' klopt niet" in message
    page.get_by_role("link", name=f"regel {line}", exact=True).click()
    page.wait_for_url(f"**/studio/{public_id}#regel-{line}")
    wait_until(page, "document.getElementById('source').studioEditor !== undefined")
    wait_until(
        page,
        "document.getElementById('source').studioEditor.view.state.doc.lineAt("
        f"document.getElementById('source').studioEditor.view.state.selection.main.head).number"
        f" === {line}",
    )
