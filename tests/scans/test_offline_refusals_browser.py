"""A kept save the server refuses for good is dropped and named; a server error is tried again
later, each time after a longer wait (headless Chromium, SQLite and PostgreSQL).

Before, a kept save answered with 400 (a form no page makes any more) stayed in the queue and
was sent again every 15 seconds for as long as the scan was open, and it held back every save
kept after it; a 503 was tried every 15 seconds without end.
"""

from __future__ import annotations

import json

import pytest
from offline_browser_support import BACK, QUEUE, keep, scan_open, served, stored

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db_app, catalog):
    yield from served(db_app, catalog)


NOT_SAVED = (
    "Uw antwoorden op de pagina ‘Gebouw en terrein’ zijn niet opgeslagen. "
    "Open die pagina en vul ze opnieuw in."
)
REFUSED = {  # a field no page form has: the server answers 400
    "url": "/scan/thema/fysiek",
    "fields": [["q_bestaat_niet", "ja"], ["action", "verder"]],
    "page": "Gebouw en terrein",
}
GOOD = {
    "url": "/scan/thema/sociaal",
    "fields": [["q_vertrouwen_personeel", "4"], ["action", "verder"]],
    "page": "Personeel en contacten",
}


def posts_to(page, theme: str) -> list[int]:
    """Collect the status of every POST to a theme page that reached the server."""
    seen: list[int] = []

    def note(response):
        if response.request.method == "POST" and response.url.endswith(f"/thema/{theme}"):
            seen.append(response.status)

    page.on("response", note)
    return seen


def settled(page, tries: list[int], expected: int) -> None:
    """Wait (real time) until the expected number of tries reached the server, then a little
    longer, so that a try too many would be seen too."""
    for _ in range(100):
        if len(tries) >= expected:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    assert len(tries) == expected, tries


def test_offline__a_kept_save_refused_with_400__dropped_named_and_the_next_one_sent(
    live_server, browser
):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    refused, sent = posts_to(page, "fysiek"), posts_to(page, "sociaal")
    keep(page, [REFUSED, GOOD])
    page.reload()
    status = page.locator("[data-offline-status]")
    status.get_by_text(NOT_SAVED).wait_for()
    assert BACK not in status.inner_text()  # not every answer was stored: never say so
    assert stored(app, token)["answers"] == {"vertrouwen_personeel": 4}
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')") is None

    # Nothing is sent again: not when the browser says it is online, nor on the next page.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert refused == [400] and sent == [200]
    assert NOT_SAVED not in status.inner_text()  # told once, on the page after it happened
    context.close()


def test_offline__a_kept_save_answered_503__tried_again_later_each_wait_longer(
    live_server, browser
):
    base, app = live_server
    context, page, token = scan_open(browser, base)
    page.clock.install()
    page.reload()
    page.wait_for_load_state("networkidle")
    failing = {"on": True}

    def busy_server(route):
        if route.request.method == "POST" and failing["on"]:
            route.fulfill(status=503, content_type="application/json", body='{"saved": false}')
        else:
            route.continue_()

    context.route(f"{base}/scan/thema/sociaal", busy_server)
    tries = posts_to(page, "sociaal")
    keep(page, [GOOD])
    page.reload()
    page.wait_for_load_state("networkidle")
    settled(page, tries, 1)
    for wait, expected in ((15, 2), (15, 2), (15, 3), (45, 3), (15, 4)):
        page.clock.run_for(wait * 1000)  # waits of 15, 30, 60 seconds between tries
        settled(page, tries, expected)
    kept = json.loads(page.evaluate(f"window.localStorage.getItem('{QUEUE}')"))
    assert [entry["url"] for entry in kept] == ["/scan/thema/sociaal"]  # kept, never dropped

    failing["on"] = False
    page.clock.run_for(120 * 1000)
    page.locator("[data-offline-status]").get_by_text(BACK).wait_for()
    assert stored(app, token)["answers"] == {"vertrouwen_personeel": 4}
    assert page.evaluate(f"window.localStorage.getItem('{QUEUE}')") is None
    context.close()
