"""The Talen tab in headless Chromium: the figures, the outdated text beside its old Dutch, the
edit form at 1280, 375 and 320 px wide with no sideways scroll and no serious axe finding, and
a save that keeps the author's text (issue 27)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import Checker, log_in_branch_admin, serve, sideways
from conftest import create_tables, make_app
from portal_factories import PASSWORD, make_org, make_user
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.studio import documents, translation_store

pytestmark = pytest.mark.browser

QUESTION = "question:sleutelbeheer.text"


@pytest.fixture
def translated_draft(tmp_path):
    """A live studio with Recron's draft: English partly done and one text outdated."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'studio.sqlite'}"})
    with app.app_context():
        create_tables()
        recron = make_org("Recron", kind="branche")
        author = make_user("branche@recron.nl", "branch_admin", recron)
        doc, _ = documents.import_text(recron, "test", OVERLAY, get_catalog())
        db.session.commit()
        english = {
            QUESTION: "Do you always know who has a key to your building?",
            "rule:sleutels_bijhouden.advice.title": "Keep track of who has a key",
            "question:sleutelbeheer.help": "With a list of all the keys in the building and "
            "the names of every person who holds one you will quickly and reliably see "
            "exactly who is able to get inside at any moment of the day or night.",
        }
        translation_store.save_texts(doc, "en", english, set(), author, get_catalog(), None)
        db.session.commit()
        changed = doc.source.replace("Weet u altijd wie", "Weet u precies wie")
        documents.save(doc, changed, author, get_catalog())
        db.session.commit()
        public_id = doc.public_id
    with serve(app) as base:
        yield base, public_id


def test_talen_tab__figures_outdated_and_edit_form_at_every_width(translated_draft, browser):
    base, public_id = translated_draft
    shots = Path(os.environ.get("SCREENSHOTS", "/tmp"))
    axe = Checker()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in_branch_admin(page, base, PASSWORD)
    page.goto(f"{base}/studio/{public_id}/talen")
    assert page.get_by_text("2 van 6 teksten vertaald (33%)").is_visible()
    assert page.get_by_role("heading", name="Verouderd (1)").is_visible()
    axe.check(page, "talen")
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert sideways(page) == 0, width
        page.screenshot(path=str(shots / f"talen-{width}.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Engels bewerken").click()
    page.wait_for_load_state("load")
    field = page.get_by_label("Engels: Advies sleutels_bijhouden, stap 1")
    assert field.get_attribute("lang") == "en"
    assert page.get_by_text("B1-tip: een zin van").first.is_visible()
    assert page.get_by_text("De vertaling hoorde bij:").is_visible()
    axe.check(page, "talen bewerken")
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert sideways(page) == 0, width
        page.screenshot(path=str(shots / f"talen-bewerken-{width}.png"), full_page=True)
    field.fill("Make a list of all keys this week.")
    page.get_by_role("button", name="Vertaling opslaan").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("De vertaling is opgeslagen.").is_visible()
    assert field.input_value() == "Make a list of all keys this week."
    assert axe.problems == []
    context.close()
