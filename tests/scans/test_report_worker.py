"""The first PDF under gunicorn.conf.py: rendered by gunicorn's dirty worker at a lower
priority than the request workers, and still rendered ahead when that process is gone."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from conftest import create_tables
from gunicorn_support import gunicorn, master_pid, nice_of, processes_below
from portal_factories import CSRF
from sqlalchemy import select

from scan import create_app
from scan.platform.extensions import db
from scan.platform.models import ReportPdf
from scan.scans import report_worker, store

# Several server processes and timed waits: run alone, after the parallel part (make test).
pytestmark = pytest.mark.serial

LINK = re.compile(r'id="scan-link"[^>]*value="[^"]*/scan/([A-Za-z0-9_-]{32})/"')


def _database(folder) -> tuple[str, object]:
    """Return the URL of a fresh SQLite file with every table, and an app on it."""
    url = f"sqlite:///{folder / 'db.sqlite'}"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        create_tables()
    return url, app


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with gunicorn.conf.py (two workers) on a SQLite file; yield URL and app."""
    folder = tmp_path_factory.mktemp("report-worker")
    url, app = _database(folder)
    with gunicorn(url, "-w", "2", log=folder / "gunicorn.log") as base:
        yield base, app


def _submit_a_scan(base: str, app, catalog) -> int:
    """Start a scan over HTTP, give it an example's answers, submit it; return its id."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def post(path: str, csrf: str) -> tuple[str, str]:
        """POST the form; return the address the redirect led to and its page."""
        data = urlencode({"csrf_token": csrf}).encode()
        with browser.open(base + path, data=data, timeout=30) as response:  # follows the 302
            return response.url, response.read().decode()

    with browser.open(base + "/scan/haven", timeout=30) as response:
        csrf = CSRF.search(response.read().decode()).group(1)
    token = LINK.search(post("/scan/haven/start", csrf)[1]).group(1)
    with app.app_context():
        scan = store.find_scan(token)
        q = catalog.get("haven")  # with its examples
        scan.answers = dict(next(e for e in q.examples if e.name == "kwetsbaar").answers)
        db.session.commit()
        scan_id = scan.id
    assert post("/scan/versturen", csrf)[0] == base + "/scan/resultaat"
    return scan_id


def _stored_within(app, scan_id: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            query = select(ReportPdf.pdf).where(ReportPdf.scan_id == scan_id)
            pdf = db.session.scalar(query)
            db.session.remove()
        if pdf is not None:
            return pdf.startswith(b"%PDF")
        time.sleep(0.1)
    return False


def _renderers(base: str) -> dict[int, tuple[int, int]]:
    """Return the server's processes at the renderer's priority: {pid: (nice, CPU ticks)}."""
    master = master_pid(base)
    lower = min(nice_of(master) + report_worker.NICENESS, 19)  # as started, however niced
    return {pid: f for pid, f in processes_below(master).items() if f[0] == lower}


def _others(base: str, renderer: int) -> dict[int, tuple[int, int]]:
    """Return the server's processes other than the renderer: {pid: (nice, CPU ticks)}."""
    return {p: f for p, f in processes_below(master_pid(base)).items() if p != renderer}


def _renderer_within(base: str, seconds: float = 30) -> tuple[int, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _renderers(base)
        if len(found) == 1:
            [(pid, (_, ticks))] = found.items()
            return pid, ticks
        time.sleep(0.1)
    raise AssertionError(f"not one renderer process but {_renderers(base)}")


def test_submit__the_pdf_is_rendered_by_the_lower_priority_process(served, catalog):
    base, app = served
    pid, ticks_before = _renderer_within(base)
    # The two request workers (gunicorn starts them one after the other) and the dirty
    # arbiter run at the master's priority.
    deadline = time.monotonic() + 30
    while len(others := _others(base, pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(others) == 3
    assert {nice for nice, _ in others.values()} == {nice_of(master_pid(base))}
    scan_id = _submit_a_scan(base, app, catalog)
    assert _stored_within(app, scan_id)
    _, ticks_after = processes_below(master_pid(base))[pid]
    assert ticks_after - ticks_before >= 2  # it rendered (a report costs tens of ms)


def test_renderer_killed__the_next_submits_still_get_their_pdf_ahead(served, catalog):
    base, app = served
    pid, _ = _renderer_within(base)
    os.kill(pid, signal.SIGKILL)
    # Right away (gunicorn still restarting it) and once it is back: no 5xx, a stored PDF.
    for _ in range(2):
        scan_id = _submit_a_scan(base, app, catalog)
        assert _stored_within(app, scan_id)
    new_pid, _ = _renderer_within(base)
    assert new_pid != pid


def test_a_second_instance_on_the_host__leaves_the_first_ones_renderer_running(served, tmp_path):
    # Before: both masters used one pid file for their dirty arbiter, and the second one's
    # start stopped the first one's (gunicorn then started it again, in turn stopping the
    # second one's).
    base, _ = served
    pid, _ = _renderer_within(base)
    url, _ = _database(tmp_path)
    with gunicorn(url, "-w", "1", log=tmp_path / "gunicorn.log") as second:
        second_pid, _ = _renderer_within(second)
        time.sleep(1.5)  # an arbiter stopped by the other start would be replaced by now
        assert _renderers(base).keys() == {pid}
        assert _renderers(second).keys() == {second_pid}
