"""Behind a reverse proxy the app sees the client's address and scheme, only when told to."""

from __future__ import annotations

import pytest
from flask import request

from scan import create_app


@pytest.mark.parametrize(("hops", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_proxy_fix__forwarded_for__trusted_only_when_configured(tmp_path, hops, expected):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "TRUSTED_PROXIES": hops,
        }
    )
    seen = {}

    @app.get("/_whoami")
    def whoami():
        seen["addr"], seen["scheme"] = request.remote_addr, request.scheme
        return "ok"

    app.test_client().get(
        "/_whoami",
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert seen["addr"] == expected
    assert seen["scheme"] == ("https" if hops else "http")
