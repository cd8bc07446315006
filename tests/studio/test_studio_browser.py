"""The studio end to end in headless Chromium: tailor, check, fix, test, preview, publish; then
an anonymous entrepreneur finds the scan on the branch page and completes it to the PDF."""

from __future__ import annotations

import pytest
from browser_support import Checker, log_in_branch_admin, save_page
from portal_factories import PASSWORD
from pypdf import PdfReader
from scans.test_e2e_scan import answer_visible_questions  # tests/scans/

pytestmark = pytest.mark.browser


def test_studio__tailor_check_fix_test_preview_publish__then_entrepreneur_to_pdf(
    studio_server, browser, tmp_path
):
    base = studio_server
    axe, outside = Checker(), []

    def watch(context):
        context.on(
            "request",
            lambda r: None if r.url.startswith((base, "data:")) else outside.append(r.url),
        )
        return context

    context = watch(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    log_in_branch_admin(page, base, PASSWORD)

    # The studio: a new tailored scan from the 'voorbeeld' base.
    page.get_by_role("link", name="Studio").click()
    page.wait_for_url("**/studio/")
    axe.check(page, "studio list")
    page.select_option("#base", "voorbeeld@1")
    page.fill("#questionnaire_id", "voorbeeld_recron")
    page.get_by_role("button", name="Nieuwe scan maken").click()
    page.wait_for_load_state("load")
    # The editor bundle (CodeMirror) takes the textarea's place and keeps it filled.
    editor = page.get_by_role("textbox", name="De tekst van uw scan (YAML)")
    assert page.locator("#source").is_hidden()
    starter = page.locator("#source").input_value()
    assert "extends: {id: voorbeeld, version: 1}" in starter
    axe.check(page, "editor")

    # An error, checked: listed with its line; the link marks that line and puts the cursor there.
    broken = starter.replace("listed: false", "listed: misschien")
    line = broken.split("\n").index(next(x for x in broken.split("\n") if "misschien" in x)) + 1
    editor.fill(broken)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("load")
    link = page.get_by_role("link", name=f"regel {line}", exact=True)
    link.wait_for()
    message = page.locator(".studio-problems li").first.inner_text()
    assert "Bovenaan uw tekst: bij 'listed' hoort true of false. Schrijf true of false." in message
    axe.check(page, "editor with an error")
    link.click()
    head = page.evaluate(
        "(() => { const v = document.getElementById('source').studioEditor.view;"
        " const h = v.state.selection.main.head; const l = v.state.doc.lineAt(h);"
        " return [l.number, h - l.from + 1, v.hasFocus]; })()"
    )
    assert head == [line, 9, True]

    # Fixed and saved: no errors; listed on the landing page.
    editor.fill(broken.replace("listed: misschien", "listed: true"))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Geen fouten").wait_for()

    # The examples (the base's, carried into the starter) all pass.
    page.get_by_role("link", name="Voorbeelden testen").click()
    page.wait_for_load_state("load")
    summary = page.locator(".studio-summary").inner_text()
    total = summary.split(" van de ")[1].split()[0]
    assert summary.startswith(f"{total} van de {total} ")
    axe.check(page, "examples")
    page.get_by_role("link", name="Wat is anders").click()
    page.wait_for_load_state("load")
    assert "Nieuw: de titel." in page.content()
    axe.check(page, "changes")

    # Preview: every page, then the result, clearly marked.
    page.get_by_role("link", name="Proefrit").click()
    page.wait_for_load_state("load")
    axe.check(page, "preview page")
    for _ in range(10):
        if "Resultaat van de proefrit" in page.content():
            break
        answer_visible_questions(page)
        page.locator("button[value=verder]").click()
        page.wait_for_load_state("load")
    assert page.locator(".studio-preview-banner").is_visible()
    page.get_by_role("heading", name="Resultaat van de proefrit").wait_for()
    axe.check(page, "preview result")

    # Publish, after a confirmation that names the public address.
    page.get_by_role("link", name="Terug naar de studio").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Publiceren…").click()
    page.wait_for_load_state("load")
    assert f"{base}/scan/voorbeeld_recron" in page.content()
    axe.check(page, "publish confirmation")
    page.get_by_role("button", name="Ja, publiceer versie 1").click()
    page.wait_for_load_state("load")
    assert "Gepubliceerd" in page.locator(".studio-status").first.inner_text()
    axe.check(page, "published")
    page.get_by_role("link", name="Scan intrekken…").click()
    page.wait_for_load_state("load")
    axe.check(page, "retire confirmation")
    context.close()

    # An anonymous entrepreneur: branch page, the scan, every page, result, PDF.
    context = watch(
        browser.new_context(viewport={"width": 375, "height": 800}, accept_downloads=True)
    )
    page = context.new_page()
    page.goto(base + "/branche/recron")
    axe.check(page, "branch page")
    page.get_by_role("button", name="Start de scan").click()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_load_state("load")
    for _ in range(10):
        if "/thema/" not in page.url:
            break
        while answer_visible_questions(page):
            page.wait_for_timeout(150)
        save_page(page)
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()
    page.wait_for_url("**/resultaat")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het rapport (PDF)").first.click()
    path = tmp_path / "rapport.pdf"
    download.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "(Recron)" in text  # the starter's title: the base's title and the organisation
    context.close()

    assert len(axe.checked) == 11
    assert axe.problems == [], "\n".join(axe.problems)
    assert outside == []
