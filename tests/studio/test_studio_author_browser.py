"""An author who is no developer, end to end in headless Chromium: tailor a base in the editor
with the ids completed, read the base tab and the guide, save with Ctrl+S, run the examples,
preview with a conditional question that appears while answering, download the trial PDF and
publish; then a member finds the scan from the landing page."""

from __future__ import annotations

import re

import pytest
from browser_support import Checker, start_branch_draft
from portal_factories import PASSWORD
from pypdf import PdfReader
from scans.test_e2e_scan import answer_visible_questions  # tests/scans/

pytestmark = pytest.mark.browser

BLOCK_START = re.compile(r"^#(add|new_referrals):")


def _tailored(starter: str) -> str:
    """Use two of the starter's blocks (an own conditional question, rule and referral)."""
    lines, inside = [], False
    for line in starter.split("\n"):
        inside = bool(BLOCK_START.match(line)) or (inside and line != "")
        lines.append(line[1:] if inside else line)
    text = "\n".join(lines).replace("listed: false", "listed: true")
    # The own question shows only to those who rent out space, and comes after the rent one.
    text = text.replace("  - after: verhuur\n", "  - after: \n", 1)
    return text.replace(
        "    good_answer: ja\n    required: true\n",
        "    good_answer: ja\n    show_if: verhuur == 'ja'\n",
        1,
    )


def test_author_tailors_checks_previews_publishes__member_finds_it(
    studio_server, browser, tmp_path
):
    base = studio_server
    axe = Checker()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    start_branch_draft(page, base, PASSWORD)

    # The guide is one click from the editor.
    page.get_by_role("link", name="handleiding voor auteurs").click()
    page.get_by_role("heading", name="Handleiding: uw eigen scan maken").wait_for()
    axe.check(page, "guide")
    page.go_back()
    page.wait_for_load_state("load")

    # Tailor in the editor: the starter's own question, rule and referral, made conditional;
    # the 'after' id typed half and completed from the base's ids.
    editor = page.get_by_role("textbox", name="De tekst van uw scan (YAML)")
    text = _tailored(page.locator("#source").input_value())
    editor.fill(text)
    at = text.index("  - after: ") + len("  - after: ")
    page.evaluate(
        "at => { const v = document.getElementById('source').studioEditor.view;"
        " v.dispatch({selection: {anchor: at}}); v.focus(); }",
        at,
    )
    page.keyboard.type("huur_c")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="huur_contant")
    option.wait_for()
    assert "vraag" in option.inner_text()  # it says what kind of id it is
    # CodeMirror ignores Enter for its interactionDelay (75 ms) after the list opens, as a
    # person never presses it that fast; under load the test could, and got a new line.
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    assert "  - after: huur_contant\n" in page.locator("#source").input_value()

    # Ctrl+S saves; the check runs the examples too.
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.get_by_text("Opgeslagen.").wait_for()
    page.get_by_role("heading", name="Geen fouten").wait_for()
    page.get_by_role("heading", name="3 van 3 voorbeelden kloppen").wait_for()
    # Ctrl+F opens the search, in Dutch.
    page.locator(".cm-content").click()
    page.keyboard.press("Control+f")
    page.get_by_role("textbox", name="Zoeken").wait_for()
    page.keyboard.press("Escape")
    axe.check(page, "editor after save")

    # The base tab: which advice and which show_if read a question.
    page.get_by_role("link", name="Basisscan", exact=True).click()
    page.wait_for_url("**/basis")
    verhuur = page.locator("#vraag-verhuur")
    assert "Bepaalt of vraag huur_contant getoond wordt" in verhuur.inner_text()
    page.locator("#vraag-huur_contant").get_by_role("link", name="huur_bank").click()
    page.wait_for_url("**#advies-huur_bank")
    assert "Leest vraag huur_contant" in page.locator("#advies-huur_bank").inner_text()
    axe.check(page, "base tab")

    # The examples tab: total, level, themes and advice next to what was expected.
    page.get_by_role("link", name="Voorbeelden testen").click()
    page.wait_for_url("**/voorbeelden")
    assert page.locator(".studio-summary").inner_text() == "3 van de 3 voorbeelden kloppen."
    first = page.locator(".studio-example").first
    assert "Totale score" in first.inner_text() and "Niveau" in first.inner_text()
    axe.check(page, "examples")

    # The trial run: the own question appears as soon as 'ja' is chosen, as in the scan.
    page.get_by_role("link", name="Proefrit").click()
    page.wait_for_url("**/proef")
    own = page.locator("[data-question=eigen_vraag]")
    assert own.is_hidden()
    page.locator("[data-question=verhuur]").get_by_label("Ja", exact=True).check()
    own.wait_for(state="visible")
    axe.check(page, "preview with a conditional question")
    for _ in range(10):
        if "Resultaat van de proefrit" in page.content():
            break
        answer_visible_questions(page)
        page.locator("button[value=verder]").click()
        page.wait_for_load_state("load")
    page.get_by_role("heading", name="Resultaat van de proefrit").wait_for()
    page.get_by_role("heading", name="Score per onderwerp").wait_for()  # the member's page body
    axe.check(page, "preview result")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download het rapport (PDF)").click()
    path = tmp_path / "proefrit.pdf"
    download.value.save_as(path)
    assert "PROEFRIT" in "".join(p.extract_text() for p in PdfReader(path).pages)

    # Publish.
    page.get_by_role("link", name="Terug naar de studio").click()
    page.get_by_role("link", name="Publiceren…").click()
    page.get_by_role("button", name="Ja, publiceer versie 1").click()
    page.wait_for_load_state("load")
    assert "Gepubliceerd" in page.locator(".studio-status").first.inner_text()
    context.close()

    # A member on a phone: landing page, the branch's page, the scan with the own question.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Recron", exact=True).click()
    page.wait_for_url("**/branche/recron")
    assert "van Recron" in page.locator(".sector").first.inner_text()
    axe.check(page, "branch page")
    page.get_by_role("button", name="Start de scan").click()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_load_state("load")
    page.locator("[data-question=verhuur]").get_by_label("Ja", exact=True).check()
    page.locator("[data-question=eigen_vraag]").wait_for(state="visible")
    context.close()

    assert axe.problems == [], "\n".join(axe.problems)
