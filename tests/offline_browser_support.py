"""Helpers for the Chromium tests of a lost connection (tests/scans/test_offline_*.py)."""

from __future__ import annotations

from browser_support import serve
from sqlalchemy import func, select

from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.platform.stamps import hash_token

QUEUE = "weerbaarheidsscan-wachtrij"
OFFLINE = (
    "Geen verbinding: uw antwoorden staan op dit apparaat en gaan mee zodra er weer verbinding is."
)
BACK = "De verbinding is terug. Uw antwoorden zijn opgeslagen."


def served(db_app, catalog):
    """Serve an app on a fresh database (SQLite, then PostgreSQL) on a free loopback port;
    yield its address and the app (the body of each test module's `live_server` fixture)."""
    db_app.extensions["scan_catalog"] = catalog
    with serve(db_app) as base:
        yield base, db_app


def start(page, base: str) -> str:
    """Start the example scan; return the token of its personal link."""
    page.goto(f"{base}/scan/voorbeeld")
    page.get_by_role("button", name="Start de scan").click()
    link = page.locator("#scan-link").input_value()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.get_by_role("heading", name="Gebouw en terrein").wait_for()
    return link.rstrip("/").rsplit("/", 1)[1]


def scan_open(browser, base: str, **options):
    """Return a new browser context and page on a started scan's first page, and its token.

    With JavaScript, the page has fetched the next pages ahead by then.
    """
    context = browser.new_context(**options)
    page = context.new_page()
    token = start(page, base)
    if options.get("java_script_enabled", True):
        page.wait_for_load_state("networkidle")
    return context, page, token


def stored(app, token: str) -> dict:
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.token_hash == hash_token(token))).one()
        count = db.session.scalar(select(func.count()).select_from(Scan))
        return {"answers": dict(scan.answers or {}), "scans": count}


def keep(page, entries: list[dict]) -> None:
    """Put saves in this page's queue, as offline.js keeps them, filed under the page's mark."""
    page.evaluate(
        """(entries) => {
          const mark = document.querySelector('meta[name="scan-mark"]').content;
          const kept = entries.map((e, i) => Object.assign(
            {id: "kept" + i, mark: mark, time: Date.now()}, e));
          window.localStorage.setItem(QUEUE, JSON.stringify(kept));
        }""".replace("QUEUE", repr(QUEUE)),
        entries,
    )
