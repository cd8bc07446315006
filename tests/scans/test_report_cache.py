"""Stored PDFs: rendered once per key, replaced when the key changes, gone with their scan."""

from __future__ import annotations

import threading

import pytest
from race_support import statements_run
from sqlalchemy import func, select, text

from scan.platform.extensions import db
from scan.platform.models import ReportPdf, Scan
from scan.scans import pdf_cache as report_cache
from scan.scans import store


@pytest.fixture
def ctx(db_app, catalog):
    with db_app.app_context():
        yield catalog.get("voorbeeld")


def submitted(q):
    scan, _ = store.start_scan(q, 90)
    scan.answers = dict(q.examples[0].answers)
    store.submit_scan(scan, q)
    return scan


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportPdf))


def test_cached_pdf__renders_once_per_key_then_again_when_the_key_changes(ctx):
    scan = submitted(ctx)
    renders = []

    def render(body=b"%PDF-first"):
        renders.append(body)
        return body

    assert report_cache.cached_pdf(scan, "scan", "k1", render) == b"%PDF-first"
    assert report_cache.cached_pdf(scan, "scan", "k1", lambda: render(b"%PDF-x")) == b"%PDF-first"
    assert len(renders) == 1
    assert report_cache.cached_pdf(scan, "scan", "k2", lambda: render(b"%PDF-2")) == b"%PDF-2"
    assert len(renders) == 2 and rows() == 1


def test_cached_pdf__a_stored_copy_costs_one_query_and_no_wait(ctx):
    scan = submitted(ctx)
    report_cache.cached_pdf(scan, "scan", "k1", lambda: b"%PDF-first")
    with statements_run(db.engine) as statements:
        served = report_cache.cached_pdf(
            scan, "scan", "k1", lambda: pytest.fail("rendered"), lambda: pytest.fail("waited")
        )
    assert served == b"%PDF-first"
    assert len([s for s in statements if "report_pdfs" in s]) == 1


def test_cached_pdf__no_copy__waits_then_looks_again_before_rendering(ctx):
    scan = submitted(ctx)
    waits = []

    def stored_meanwhile():  # the rendering ahead stores the copy while the download waits
        waits.append(1)
        report_cache.cached_pdf(scan, "scan", "k1", lambda: b"%PDF-ahead")

    served = report_cache.cached_pdf(
        scan, "scan", "k1", lambda: pytest.fail("rendered twice"), stored_meanwhile
    )
    assert served == b"%PDF-ahead" and waits == [1] and rows() == 1


def test_cached_pdf__deleted_with_the_scan_and_by_expiry(ctx):
    first, second = submitted(ctx), submitted(ctx)
    for scan in (first, second):
        report_cache.cached_pdf(scan, "scan", "k", lambda: b"%PDF")
    store.delete_scan(first)
    assert rows() == 1
    store.expire_scans(now=second.expires_at)
    assert rows() == 0


def test_cached_pdf__database_cascade_deletes_the_rows(ctx):
    scan = submitted(ctx)
    report_cache.cached_pdf(scan, "scan", "k", lambda: b"%PDF")
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA foreign_keys=ON"))
    for table in ("scan_theme_scores", "scan_fired_rules", "scans"):
        column = "id" if table == "scans" else "scan_id"
        db.session.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": scan.id})
    db.session.commit()
    assert rows() == 0


def test_cached_pdf__bounded_oldest_go_first(ctx, db_app):
    db_app.config["REPORT_CACHE_LIMIT"] = 2
    scans = [submitted(ctx) for _ in range(3)]
    for scan in scans:
        report_cache.cached_pdf(scan, "scan", "k", lambda: b"%PDF")
    kept = set(db.session.scalars(select(ReportPdf.scan_id)))
    assert kept == {scans[1].id, scans[2].id}


def test_cached_pdf__two_first_downloads_at_once__one_row_both_served(ctx, db_app):
    scan_id = submitted(ctx).id
    barrier, served = threading.Barrier(2), []

    def download():
        with db_app.app_context():
            scan = db.session.get(Scan, scan_id)

            def render():
                barrier.wait(timeout=10)  # both render before either stores
                return b"%PDF-same"

            served.append(report_cache.cached_pdf(scan, "scan", "k", render))
            db.session.remove()

    db.session.remove()  # the threads use connections of their own
    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert served == [b"%PDF-same"] * 2
    assert rows() == 1
