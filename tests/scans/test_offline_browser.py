"""A lost connection loses nothing (issue 25), in headless Chromium on SQLite and PostgreSQL.

The network goes off in the middle of a theme page and stays off for two pages: the page says
so, the entrepreneur goes on with the pages fetched ahead, the answers wait in localStorage
(never the personal link), and when the network is back they reach the database in order,
every answer exactly once. Without JavaScript the scan posts as before.
"""

from __future__ import annotations

import json

import pytest
from offline_browser_support import BACK, OFFLINE, QUEUE, scan_open, served, stored

from scan.platform.stamps import hash_token

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db_app, catalog):
    yield from served(db_app, catalog)


def first_page_without_connection(context, page) -> None:
    """Lose the connection, answer the first page and save it: it is kept on the device."""
    context.set_offline(True)
    page.get_by_label("Nee").first.check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.locator("[data-offline-status]").get_by_text(OFFLINE).wait_for()


def test_offline__two_pages_kept_on_the_device_then_stored_once_in_order(live_server, browser):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    posts: list[str] = []
    # Requests that reached the server (one without a connection fails instead).
    page.on("requestfinished", lambda r: posts.append(r.url) if r.method == "POST" else None)

    page.get_by_label("Nee").first.check()  # verhuur: nothing opens up
    context.set_offline(True)  # the connection drops in the middle of the page
    page.get_by_label("Camera's").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    status = page.locator("[data-offline-status]")
    status.get_by_text(OFFLINE).wait_for()
    assert page.get_by_role("heading", name="Personeel en contacten").is_visible()
    page.get_by_label("4").check()
    page.get_by_label("Hoeveel medewerkers heeft u?").fill("12")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_role("heading", name="Signalen en melden").wait_for()
    assert stored(app, token)["answers"] == {}

    kept = page.evaluate(f"window.localStorage.getItem('{QUEUE}')")
    assert token not in kept and hash_token(token) not in kept
    entries = json.loads(kept)
    assert [e["url"].rsplit("/", 1)[1] for e in entries] == ["fysiek", "sociaal"]

    context.set_offline(False)
    status.get_by_text(BACK).wait_for()
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')") is None
    assert stored(app, token) == {
        "answers": {
            "verhuur": "nee",
            "maatregelen": ["camera"],
            "vertrouwen_personeel": 4,
            "aantal_medewerkers": 12,
        },
        "scans": 1,
    }
    pages_posted = [p.rsplit("/", 1)[1] for p in posts if "/thema/" in p and "zichtbaar" not in p]
    assert pages_posted == ["fysiek", "sociaal"]  # each sent once, in order

    # Online again, the scan goes on as always, and the answers are all on the check page.
    page.get_by_label("Nee").first.check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url("**/controle")
    assert "12" in page.locator("main").inner_text()
    context.close()


def test_offline__back_within_the_kept_pages_shows_what_was_given(live_server, browser):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    first_page_without_connection(context, page)
    page.get_by_role("heading", name="Personeel en contacten").wait_for()
    page.get_by_role("button", name="Vorige").click()
    page.get_by_role("heading", name="Gebouw en terrein").wait_for()
    assert page.get_by_label("Nee").first.is_checked()
    context.set_offline(False)
    page.locator("[data-offline-status]").get_by_text(BACK).wait_for()
    assert stored(app, token)["answers"] == {"verhuur": "nee"}
    context.close()


def test_offline__quick_exit_clears_what_the_device_kept(live_server, browser):
    base, _ = live_server
    context, page, _ = scan_open(browser, base)
    first_page_without_connection(context, page)
    # The connection returns, but the saves still cannot get through: they stay kept.
    context.route(f"{base}/scan/thema/**", lambda route: route.abort())
    context.route(f"{base}/weg**", lambda route: route.fulfill(body="weg"))
    context.set_offline(False)
    page.wait_for_timeout(300)
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')")
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url("**/weg**")
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')") is None
    context.close()


def test_without_javascript__the_scan_posts_as_before(live_server, browser):
    base, app = live_server
    context, page, token = scan_open(browser, base, java_script_enabled=False)
    page.get_by_label("Nee").first.check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_role("heading", name="Personeel en contacten").wait_for()
    assert stored(app, token)["answers"] == {"verhuur": "nee"}
    context.close()


def test_offline__a_save_whose_answer_was_lost__sent_again_changes_nothing(live_server, browser):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    reached = []

    def lose_the_answer(route):
        if route.request.method == "POST" and not reached:
            reached.append(route.fetch().status)  # the server stores the page...
            route.abort()  # ...but its answer never arrives
        else:
            route.continue_()

    context.route(f"{base}/scan/thema/fysiek", lose_the_answer)
    page.get_by_label("Ja").first.check()
    page.get_by_label("Camera's").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.locator("[data-offline-status]").get_by_text(OFFLINE).wait_for()
    assert reached == [200]
    assert stored(app, token)["answers"] == {"verhuur": "ja", "maatregelen": ["camera"]}

    # The next save sends the kept one first: the same page again, then this one.
    page.get_by_label("4").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan en verder").click()
    assert page.url.endswith("/scan/thema/signalen")
    assert stored(app, token)["answers"] == {
        "verhuur": "ja",
        "maatregelen": ["camera"],
        "vertrouwen_personeel": 4,
    }
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')") is None
    context.close()


def test_offline__a_save_kept_for_another_scan__never_sent_into_this_one(live_server, browser):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    other = {
        "id": "x1",
        "mark": "another-scan",
        "url": "/scan/thema/fysiek",
        "fields": [["q_verhuur", "ja"], ["action", "verder"]],
        "time": 0,
    }
    page.evaluate(
        "(entry) => { entry.time = Date.now();"
        f" window.localStorage.setItem('{QUEUE}', JSON.stringify([entry])); }}",
        other,
    )
    page.reload()
    page.wait_for_load_state("networkidle")
    assert stored(app, token)["answers"] == {}
    kept = json.loads(page.evaluate(f"window.localStorage.getItem('{QUEUE}')"))
    assert [entry["mark"] for entry in kept] == ["another-scan"]
    context.close()
