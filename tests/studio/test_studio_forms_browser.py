"""The studio's forms in headless Chromium (issue 21): an author adds a question, an advice rule
and an own referral through the forms, sees the YAML appear in the editor, and a second tab's
save gives a conflict page with both texts, not a silent overwrite. The forms fit at 320 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import Checker, serve, sideways, start_branch_draft
from conftest import create_tables, make_app
from portal_factories import FAST_HASHER, PASSWORD, make_org, make_user

from scan.portal import accounts

pytestmark = pytest.mark.browser
# Set STUDIO_SCREENSHOTS to a folder to keep the pages as images (to look at them).
SHOTS = os.environ.get("STUDIO_SCREENSHOTS")


@pytest.fixture
def studio_server(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'studio.sqlite'}"})
    with app.app_context():
        create_tables()
        make_user("branche@recron.nl", "branch_admin", make_org("Recron", kind="branche"))
    with serve(app) as base:
        yield base


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page, name: str, widths=(1280, 375, 320)) -> None:
    """Assert the page needs no sideways scrolling at these widths; keep a screenshot of each."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert sideways(page) == 0, width
        _shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def _editor_text(page) -> str:
    return page.locator("#source").input_value()


def _submit_form(page) -> None:
    page.get_by_role("button", name="In mijn tekst zetten").click()
    page.wait_for_load_state("load")


def test_studio_forms__question_rule_referral__yaml_in_editor__conflict_from_second_tab(
    studio_server, browser
):
    base = studio_server
    axe = Checker()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    start_branch_draft(page, base, PASSWORD)
    editor_url = page.url

    # A question through its form: a choice question shown after 'verhuur' is 'ja'.
    page.get_by_role("link", name="vraag", exact=True).click()
    page.wait_for_load_state("load")
    axe.check(page, "question form")
    _fits(page, "vraag")
    page.fill("#id", "camera")
    page.select_option("#after", "verhuur")
    page.select_option("#theme", "fysiek")
    page.fill("#text", "Hangt er een camera bij de ingang?")
    page.fill("#help", "Met beelden ziet u wie er komt en gaat.")
    page.select_option("#type", "single_choice")
    for row, (label, score) in enumerate([("Ja, met opname", "100"), ("Nee", "0")]):
        page.fill(f"#options-{row}-label", label)
        page.fill(f"#options-{row}-score", score)
    page.select_option("#show_if_pick", "verhuur|ja")
    _submit_form(page)
    assert page.url.startswith(editor_url)
    page.get_by_text("De vraag staat nu in uw tekst").wait_for()
    text = _editor_text(page)
    assert "    - after: verhuur\n      id: camera\n" in text
    assert "      show_if: verhuur == 'ja'\n" in text
    shown = page.evaluate(
        "document.getElementById('source').studioEditor.view.state.doc.toString()"
    )
    assert "id: camera" in shown  # in the editor itself (CodeMirror draws only what is in view)

    # A wrong input: the Dutch message next to the field, the input kept.
    page.get_by_role("link", name="advies", exact=True).click()
    page.wait_for_load_state("load")
    page.fill("#id", "camera_plaatsen")
    page.fill("#title", "Hang een camera op bij de ingang")
    page.fill("#explanation", "Zo ziet u wie er komt en gaat.")
    page.fill("#steps", "Vraag deze week een offerte aan.\nHang een bord op.")
    _submit_form(page)
    assert page.locator("#when-error").inner_text().startswith("Kies bij welk antwoord")
    assert page.locator("#title").input_value() == "Hang een camera op bij de ingang"
    axe.check(page, "rule form with an error")
    _shoot(page, "advies-fout-1280")
    page.select_option("#when_pick", "camera|nee")
    page.select_option("#priority", "high")
    page.check("input[value=meld_misdaad_anoniem]")
    _submit_form(page)
    page.get_by_text("Het advies staat nu in uw tekst").wait_for()
    assert "      when: camera == 'nee'\n" in _editor_text(page)

    # An own referral, shown with every result.
    page.get_by_role("link", name="eigen doorverwijzing").click()
    page.wait_for_load_state("load")
    _fits(page, "doorverwijzing")
    page.fill("#id", "recron_vertrouwenspersoon")
    page.fill("#name", "Vertrouwenspersoon Recron")
    page.fill("#phone", "030-1234567")
    page.fill("#when", "U wilt in vertrouwen praten over een verdacht verzoek.")
    page.fill("#bron", "recron.nl/contact")
    page.fill("#verified_on", "2026-11-30")
    page.check("#always_shown")
    axe.check(page, "referral form")
    _submit_form(page)
    page.get_by_text("De doorverwijzing staat nu in uw tekst").wait_for()
    text = _editor_text(page)
    assert "new_referrals:\n  - id: recron_vertrouwenspersoon\n" in text
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Geen fouten").wait_for()

    # Leaving with unsaved text asks first (beforeunload); dismissed, the text stays.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("# nog niet opgeslagen\n")
    page.locator("#source-unsaved").wait_for()
    page.get_by_role("link", name="Proefrit").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.startswith(editor_url)
    assert "# nog niet opgeslagen" in _editor_text(page)

    # A second tab saves first; this tab's save is a conflict showing both texts.
    second = context.new_page()
    second.goto(editor_url)
    second.locator(".cm-content").click()
    second.keyboard.press("Control+End")
    second.keyboard.type("# uit het tweede tabblad\n")
    second.get_by_role("button", name="Opslaan").click()
    second.wait_for_load_state("load")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("# uit het eerste tabblad\n")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Iemand anders heeft deze scan intussen opgeslagen").wait_for()
    assert "# uit het eerste tabblad" in page.locator("#yours").input_value()
    assert "# uit het tweede tabblad" in page.locator("#theirs").input_value()
    axe.check(page, "conflict page")
    _fits(page, "conflict")

    # The earlier saves: the forms' and the tabs' saves, each can be restored.
    page.goto(editor_url)
    page.get_by_role("link", name="Eerdere versies").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Deze tekst terugzetten").count() == 4
    axe.check(page, "earlier saves")
    _fits(page, "eerdere-versies")
    context.close()
    assert axe.problems == []
