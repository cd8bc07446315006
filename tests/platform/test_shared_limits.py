"""Rate limits kept in Redis hold exactly across gunicorn workers."""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import redis_url
from gunicorn_support import gunicorn
from test_serving import sqlite_app

# Timed answers and several server processes: run alone, after the parallel part (make test).
pytestmark = pytest.mark.serial

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def wrong_logins(base: str, email: str, count: int) -> list[int]:
    """Post count wrong passwords for one e-mail address; return the status codes."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(base + "/inloggen", timeout=10) as response:
        token = CSRF.search(response.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": "not the password"}
    ).encode()
    codes = []
    for _ in range(count):
        try:
            with opener.open(base + "/inloggen", data=body, timeout=10) as response:
                codes.append(response.status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)
    return codes


def test_login_limit__redis_store__exactly_five_across_three_workers(tmp_path):
    storage = redis_url()
    sqlite_app(tmp_path / "db.sqlite")
    log = tmp_path / "gunicorn.log"
    with gunicorn(
        f"sqlite:///{tmp_path / 'db.sqlite'}",
        *("-w", "3", "--access-logformat", "worker %(p)s %(m)s %(s)s"),
        log=log,
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_KEY_PREFIX=f"test-{secrets.token_hex(8)}",
    ) as base:
        codes = wrong_logins(base, f"{secrets.token_hex(6)}@example.nl", 10)
    assert sum(code != 429 for code in codes) == 5, codes
    assert codes[:5] == [200] * 5
    workers = {line.split()[1] for line in log.read_text().splitlines() if " POST " in line}
    assert len(workers) >= 2  # the posts really were spread over several workers
    assert "in-memory rate-limit store" not in log.read_text()
