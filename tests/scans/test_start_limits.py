"""Starting scans: a workshop behind one address can start, a flood cannot."""

from __future__ import annotations

import re

from conftest import create_tables, make_app

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def limited_app(tmp_path, catalog, **limits):
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"},
        RATELIMIT_ENABLED=True,
        **limits,
    )
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    return app


def starts(app, count: int, address: str) -> list[int]:
    """Start count scans from one address; return the status codes."""
    client = app.test_client()
    html = client.get("/scan/voorbeeld").get_data(as_text=True)
    data = {"csrf_token": CSRF.search(html).group(1)}
    env = {"REMOTE_ADDR": address}
    return [
        client.post("/scan/voorbeeld/start", data=data, environ_base=env).status_code
        for _ in range(count)
    ]


def test_start__workshop_of_sixty_behind_one_address__all_start(tmp_path, catalog):
    app = limited_app(tmp_path, catalog)
    codes = starts(app, 101, "198.51.100.7")
    assert codes[:100] == [302] * 100  # 60 people, some of whom start twice
    assert codes[100] == 429
    assert starts(app, 1, "198.51.100.8") == [302]  # the next address has its own count


def test_start__ceiling_over_all_addresses__holds(tmp_path, catalog):
    app = limited_app(
        tmp_path, catalog, SCAN_START_LIMIT="3 per minute", SCAN_START_GLOBAL_LIMIT="5 per minute"
    )
    assert starts(app, 4, "192.0.2.1") == [302, 302, 302, 429]
    assert starts(app, 3, "192.0.2.2") == [302, 302, 429]


def test_start__rate_limit_store_unreachable__still_starts(tmp_path, catalog):
    app = limited_app(tmp_path, catalog, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    assert starts(app, 2, "192.0.2.3") == [302, 302]


def test_start__a_second_app_without_limits__first_keeps_its_limits(tmp_path, catalog):
    """One process, two apps (as in tests, or a tool beside the web app): each keeps its own
    RATELIMIT_ENABLED. Before, the app made last switched limits off for every app."""
    app = limited_app(tmp_path, catalog, SCAN_START_LIMIT="2 per minute")
    other = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}"})
    assert other.config["RATELIMIT_ENABLED"] is False
    assert starts(app, 3, "192.0.2.9") == [302, 302, 429]
    other.extensions["scan_catalog"] = catalog
    with other.app_context():
        create_tables()
    other.config["SCAN_START_LIMIT"] = "1 per minute"
    assert starts(other, 3, "192.0.2.9") == [302, 302, 302]
