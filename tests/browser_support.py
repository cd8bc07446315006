"""Helpers for the headless-Chromium tests: requirements, a live server, axe-core checks."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scan.platform.extensions import db

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser():
    """Skip without Chromium or Playwright, but fail when REQUIRE_BROWSER=1."""
    missing = []
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing.append(f"chromium ({CHROMIUM})")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        missing.append(f"python package: {error.name}")
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve an app on a free loopback port in a background thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


class SharedChromium:
    """A Chromium shared by the tests of one worker (conftest's browser fixture)."""

    def __init__(self, playwright):
        self.playwright = playwright
        self.chromium = None

    def get(self):
        """Return the running browser; launch it again if it is gone (a crash in a test)."""
        if self.chromium is None or not self.chromium.is_connected():
            self.chromium = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        return self.chromium

    def close_contexts(self) -> None:
        """Close every context (and so every page) a test left open: the next starts clean."""
        if self.chromium is not None and self.chromium.is_connected():
            for context in list(self.chromium.contexts):
                context.close()

    def close(self) -> None:
        if self.chromium is not None and self.chromium.is_connected():
            self.chromium.close()


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until a JavaScript expression is true on the page.

    Not page.wait_for_function: with a string it polls through code the page's CSP
    (script-src 'self', no 'unsafe-eval') refuses, so it failed whenever the expression was not
    true at the first look. page.evaluate goes through DevTools, which the CSP does not stop.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {expression}")
        time.sleep(0.05)


def choose_first(block, inputs: str = "input") -> bool:
    """Tick the first option of a question block; return whether it is now ticked.

    An answer given a moment earlier can hide this question while the click is under way
    (the page script asks the server which questions show, then hides the others and
    disables their fieldsets): then the click changes nothing and the question needs no
    answer, so that is not a failure. Any other refusal still is.
    """
    from playwright.sync_api import Error as PlaywrightError

    option = block.locator(inputs).first
    try:
        option.check(timeout=5000)
        return True
    except PlaywrightError:
        if block.is_hidden() or option.is_disabled():
            return False
        option.check()  # shown again after all: a second click settles it, or fails loudly
        return True


def save_page(page, button: str = "Opslaan en verder") -> None:
    """Press a save button of a theme page and wait for the page it leads to.

    The page script (static/offline.js) posts the page itself and then goes where the server
    says, so the next page starts loading a moment after the click: wait for that navigation,
    not for the load state of the page that was clicked.
    """
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


# WCAG 1.4.12 text spacing: content must survive these settings (inject with bypass_csp=True).
TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


def sideways(page) -> int:
    """Return by how many CSS pixels the page is wider than the viewport (0: no sideways scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


class Checker:
    """Run axe-core on pages and collect serious and critical violations."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []
        self.problems: list[str] = []

    # Rules that count whatever their impact: all content inside landmarks (issue 23).
    ALWAYS = frozenset({"region"})

    def check(self, page, kind: str) -> None:
        results = self.axe.run(page)
        self.checked.append(kind)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical") or violation["id"] in self.ALWAYS:
                targets = [n["target"] for n in violation["nodes"]][:3]
                self.problems.append(f"{kind}: {violation['id']} {violation['help']} {targets}")


def log_in_branch_admin(page, base: str, password: str) -> None:
    """Log in as the Recron branch admin (the studio tests)."""
    page.goto(base + "/inloggen")
    page.fill("#email", "branche@recron.nl")
    page.fill("#password", password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")


def start_branch_draft(page, base: str, password: str) -> None:
    """Log in as the Recron branch admin and make a new draft on voorbeeld (the studio tests)."""
    log_in_branch_admin(page, base, password)
    page.goto(base + "/studio/")
    page.select_option("#base", "voorbeeld@1")
    page.fill("#questionnaire_id", "voorbeeld_recron")
    page.get_by_role("button", name="Nieuwe scan maken").click()
    page.wait_for_load_state("load")
