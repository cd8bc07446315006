"""Every response of the app carries the security headers, set once for the whole app."""

from __future__ import annotations

import re

import pytest

REQUIRED = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "",
}


def _assert_secure(response, where: str) -> None:
    for name, part in REQUIRED.items():
        assert name in response.headers, f"{where} ({response.status_code}) lacks {name}"
        assert part in response.headers[name], f"{where}: {name}={response.headers[name]}"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    response.close()  # static files are streamed from an open file


def _url(rule) -> str:
    """Fill a rule's variables with values that match no real object."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "x" * 32, rule.rule)


def test_every_route__every_method__has_security_headers(app, client):
    seen = 0
    for rule in app.url_map.iter_rules():
        url = _url(rule)
        if rule.endpoint == "static":
            url = "/static/style.css"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            _assert_secure(response, f"{method} {url}")
            seen += 1
    assert seen > 20


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/inloggen", 200),
        ("POST", "/inloggen", 400),  # no CSRF token
        ("GET", "/bestaat-niet", 404),
        ("GET", "/scan/", 404),
        ("GET", "/uitloggen", 405),
        ("PUT", "/", 405),
        ("GET", "/static/style.css", 200),
        ("GET", "/static/bestaat-niet.css", 404),
    ],
)
def test_pages_outside_blueprints__have_security_headers(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    _assert_secure(response, f"{method} {url}")


def test_failed_login__has_security_headers(app, client):
    from portal_factories import csrf_token

    token = csrf_token(client, "/inloggen")
    response = client.post(
        "/inloggen", data={"email": "a@b.nl", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code == 200
    _assert_secure(response, "failed login")
    assert response.headers["Cache-Control"] == "no-store"


def test_pages__not_stored_in_caches(client):
    for url in ("/", "/inloggen", "/bestaat-niet", "/scan/vastgoed"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_hsts__only_over_https(client):
    plain = client.get("/")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/", base_url="https://scan.example")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    missing = client.get("/bestaat-niet", base_url="https://scan.example")
    assert "Strict-Transport-Security" in missing.headers


def test_scan_and_portal_pages__kept_out_of_search_engines(client):
    assert client.get("/inloggen").headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/").headers
