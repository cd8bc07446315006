"""The first PDF is rendered right after submitting, off the request, into the PDF cache; the
download then finds it, and several renderings at once keep one stored copy."""

from __future__ import annotations

import re
import threading
import time

import pytest
from gunicorn.dirty import DirtyTimeoutError
from sqlalchemy import func, select

from scan.platform import dirty_workers
from scan.platform.extensions import db
from scan.platform.models import ReportPdf, Scan
from scan.scans import report_pdf, store


@pytest.fixture
def live(db_app, catalog):
    db_app.extensions["scan_catalog"] = catalog
    db_app.config["REPORT_PRERENDER"] = True
    return db_app


def _submitted(app, sector="haven"):
    with app.app_context():
        q = app.extensions["scan_catalog"].get(sector)
        scan, token = store.start_scan(q, 90)
        scan.answers = dict(next(e for e in q.examples if e.name == "kwetsbaar").answers)
        store.submit_scan(scan, q)
        return scan.id, token


def _stored(app, scan_id):
    with app.app_context():
        rows = db.session.scalars(select(ReportPdf).where(ReportPdf.scan_id == scan_id)).all()
        return [row.pdf for row in rows]


def test_submit__renders_the_pdf_in_the_background_and_the_download_finds_it(live, monkeypatch):
    started = []
    original = report_pdf.first_render
    monkeypatch.setattr(
        report_pdf, "first_render", lambda *a: started.append(original(*a)) or started[-1]
    )
    with live.app_context():
        q = live.extensions["scan_catalog"].get("haven")
        scan, token = store.start_scan(q, 90)
        scan.answers = dict(next(e for e in q.examples if e.name == "kwetsbaar").answers)
        db.session.commit()
        scan_id = scan.id
    client = live.test_client()
    client.get(f"/scan/{token}/")
    html = client.get("/scan/controle").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post("/scan/versturen", data={"csrf_token": csrf}).status_code == 302
    assert len(started) == 1 and started[0] is not None
    started[0].join(timeout=60)
    [row] = _stored(live, scan_id)
    # The download is a cache hit: rendering again would fail.
    monkeypatch.setattr(
        "scan.scans.report_pdf.render_pdf", lambda *a, **k: pytest.fail("rendered again")
    )
    response = client.get("/scan/rapport.pdf")
    assert response.status_code == 200 and response.data == row


def test_first_render__switched_off__renders_nothing(live):
    live.config["REPORT_PRERENDER"] = False
    scan_id, token = _submitted(live)
    with live.app_context():
        assert report_pdf.first_render(db.session.get(Scan, scan_id), token) is None
    assert _stored(live, scan_id) == []


def test_first_render__several_at_once_with_the_download__one_stored_copy(live):
    scan_id, token = _submitted(live)
    with live.app_context():
        scan = db.session.get(Scan, scan_id)
        threads = [report_pdf.first_render(scan, token) for _ in range(3)]
    results = []

    def download():
        with live.app_context():
            scan = db.session.get(Scan, scan_id)
            results.append(report_pdf.entrepreneur_pdf(scan, store.questionnaire_of(scan), token))
            db.session.remove()

    downloads = [threading.Thread(target=download) for _ in range(2)]
    for thread in downloads:
        thread.start()
    for thread in [*threads, *downloads]:
        thread.join(timeout=120)
    [row] = _stored(live, scan_id)
    assert len(results) == 2 and all(pdf.startswith(b"%PDF") for pdf in results)
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReportPdf)) == 1
    assert row.startswith(b"%PDF")


def _slow_renders(monkeypatch, seconds=0.5):
    """Make every rendering take a while and count them."""
    original, renders = report_pdf.render_pdf, []

    def slow(*args, **kwargs):
        renders.append(1)
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(report_pdf, "render_pdf", slow)
    return renders


def _download(app, scan_id, token, results):
    with app.app_context():
        scan = db.session.get(Scan, scan_id)
        results.append(report_pdf.entrepreneur_pdf(scan, store.questionnaire_of(scan), token))
        db.session.remove()


@pytest.mark.parametrize("same_process", [True, False])
def test_first_download_during_the_rendering__waits_for_it_and_renders_once(
    live, monkeypatch, same_process
):
    # Before: a download that came while the rendering ran rendered the same PDF again.
    renders = _slow_renders(monkeypatch)
    scan_id, token = _submitted(live)
    with live.app_context():
        if same_process:
            rendering = report_pdf.first_render(db.session.get(Scan, scan_id), token)
        else:  # another worker renders: nothing in this process to wait on, only the cache
            rendering = threading.Thread(
                target=report_pdf._render_in_background, args=(live, scan_id, token)
            )
            rendering.start()
    results = []
    downloads = [
        threading.Thread(target=_download, args=(live, scan_id, token, results)) for _ in range(3)
    ]
    for thread in downloads:
        thread.start()
    for thread in [rendering, *downloads]:
        thread.join(timeout=120)
    [row] = _stored(live, scan_id)
    assert len(renders) == 1
    assert results == [row] * 3


def test_first_download__no_rendering_comes__renders_after_the_wait(live, monkeypatch):
    live.config["REPORT_PRERENDER_WAIT"] = 0.5
    renders = _slow_renders(monkeypatch, seconds=0)
    scan_id, token = _submitted(live)
    results = []
    start = time.monotonic()
    _download(live, scan_id, token, results)
    assert len(renders) == 1 and results[0].startswith(b"%PDF")
    assert time.monotonic() - start < 10


def test_later_download__not_stored__renders_at_once(live, monkeypatch):
    live.config["REPORT_PRERENDER_WAIT"] = 0
    renders = _slow_renders(monkeypatch, seconds=0)
    scan_id, token = _submitted(live)
    monkeypatch.setattr(report_pdf.pdf_cache, "is_stored", lambda *a: pytest.fail("waited"))
    results = []
    _download(live, scan_id, token, results)
    assert len(renders) == 1 and results[0].startswith(b"%PDF")


def test_first_download__the_rendering_in_this_process_failed__renders_at_once(live, monkeypatch):
    scan_id, token = _submitted(live)
    with monkeypatch.context() as failing:
        failing.setattr(report_pdf, "render_pdf", lambda *a, **k: 1 / 0)  # fails, is logged
        with live.app_context():
            report_pdf.first_render(db.session.get(Scan, scan_id), token).join(timeout=60)
    assert _stored(live, scan_id) == []
    results, start = [], time.monotonic()
    _download(live, scan_id, token, results)
    assert results[0].startswith(b"%PDF") and time.monotonic() - start < 5  # waits 10 s


def test_first_render__the_dirty_worker_refuses_the_connection__renders_here(
    live, monkeypatch, tmp_path
):
    # gunicorn restarting its dirty worker: the socket is there in name only.
    monkeypatch.setenv("GUNICORN_DIRTY_SOCKET", str(tmp_path / "gone.sock"))
    scan_id, token = _submitted(live)
    with live.app_context():
        report_pdf.first_render(db.session.get(Scan, scan_id), token).join(timeout=60)
    [row] = _stored(live, scan_id)
    assert row.startswith(b"%PDF")


def test_first_render__the_dirty_worker_fails__logged_and_the_download_renders_at_once(
    live, monkeypatch, caplog
):
    def too_slow(*args, timeout):
        raise DirtyTimeoutError("Timeout waiting for dirty app response", timeout=timeout)

    monkeypatch.setattr(dirty_workers, "execute", too_slow)
    renders = _slow_renders(monkeypatch, seconds=0)
    scan_id, token = _submitted(live)
    with live.app_context():
        report_pdf.first_render(db.session.get(Scan, scan_id), token).join(timeout=60)
    assert _stored(live, scan_id) == [] and renders == []  # not rendered twice at once
    assert "first PDF not rendered ahead: DirtyTimeoutError" in caplog.text
    assert token not in caplog.text
    results, start = [], time.monotonic()
    _download(live, scan_id, token, results)
    assert results[0].startswith(b"%PDF") and time.monotonic() - start < 5  # waits 10 s


def test_first_render__hands_the_dirty_worker_the_scan_and_its_token(live, monkeypatch, tmp_path):
    calls = []

    class Client:
        def __init__(self, path, timeout):
            calls.append(("open", path, timeout))

        def connect(self):
            pass

        def execute(self, app_path, action, *args):
            calls.append((app_path, action, *args))
            return True

        def close(self):
            calls.append(("close",))

    monkeypatch.setattr(dirty_workers, "_Client", Client)
    monkeypatch.setattr(report_pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered here"))
    monkeypatch.setenv("GUNICORN_DIRTY_SOCKET", str(tmp_path / "arbiter.sock"))
    scan_id, token = _submitted(live)
    with live.app_context():
        report_pdf.first_render(db.session.get(Scan, scan_id), token).join(timeout=60)
    assert calls == [
        ("open", str(tmp_path / "arbiter.sock"), report_pdf.RENDERER_TIMEOUT),
        (report_pdf.RENDERER, "render", scan_id, token),
        ("close",),
    ]


def test_dirty_workers__none_runs_for_this_process__not_reached(monkeypatch):
    monkeypatch.delenv("GUNICORN_DIRTY_SOCKET", raising=False)
    with pytest.raises(dirty_workers.NotReached):
        dirty_workers.execute(report_pdf.RENDERER, "render", 1, "t" * 32, timeout=1)
