"""The world the web fuzz tests send requests into (tests/platform/test_web_fuzz*.py): an app
with every kind of account and scan, its routes, real path values and every parameter name.

Parameter names are not listed by hand: they are read from the forms on the pages (name="...")
and from the request.args/request.form look-ups in the package, so new ones are fuzzed too.
CSRF is off here so that fuzzed forms reach the views; CSRF has its own tests.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

from conftest import create_tables, make_app
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from portal_factories import PASSWORD, make_portal

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.scans import store

SCAN = Path(__file__).resolve().parents[1] / "scan"
FUZZ = settings(  # examples per route and method; FUZZ_EXAMPLES=500 for a longer hunt
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Fuzzed with made-up path values only, so that the examples keep their scan and login.
DESTRUCTIVE = {"scans.delete", "sharing.withdraw", "auth.logout"}
# Browsers with a scan session (opened through the personal link): an open and a submitted scan.
SCAN_ROLES = {"scan_open": "open_token", "scan_submitted": "submitted_token"}
# Routes that start, switch, end or delete a browser's scan: never sent from SCAN_ROLES browsers,
# so that those keep their scan for the other routes.
SESSION_CHANGING = {"scans.start", "scans.resume", "scans.delete", "public.leave"}
NASTY = [
    "",
    "\x00",
    "a\x00b",
    "\x01\x1b[31m",
    "\x7f\x85\x9f",
    "\r\n",
    "\t",
    "%00",
    "%",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "-1",
    "0",
    "1e309",
    "nan",
    "99999999999999999999999",
    "9223372036854775807",
    "-9223372036854775809",
    "2147483648",
    "[" * 20_000,
    '{"a":' * 5_000,
    "ja",
    "weet_niet",
    "nvt",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\ud7ff\ufffd\U0001f600",
    "é" * 300,
    "x" * 6000,
]
# Swept through every route; hypothesis draws from all of NASTY and beyond.
SWEEP = [
    "\x00",
    "\x1b",
    "9999-12-31",
    "0001-01-01",
    "%",
    "x" * 6000,
    "-1",
    "9223372036854775807",
    "[" * 40,  # deeper than MAX_NESTING (deeper ones: the tests below, within the size limit)
]
HUGE = "9223372036854775807"  # bigint's maximum: "bigint out of range" once it reached SQL
DEEP = "[" * 20_000 + "]" * 20_000  # JSON nested 20,000 deep: RecursionError in the parser
nasty = st.sampled_from(NASTY)
values = st.one_of(nasty, nasty, st.text(max_size=40))


def _names_in_source() -> set[str]:
    """Return every parameter name the views look up in request.args or request.form."""
    found = set()
    for path in SCAN.rglob("*.py"):
        found |= set(
            re.findall(r"request\.(?:args|form)\.get(?:list)?\(\"([^\"]+)\"", path.read_text())
        )
    assert found, f"no request.args/request.form look-ups found under {SCAN}"
    return found


def fuzz_world(database):
    """Yield the fuzzed app, its routes, real path values, accounts, scan tokens and every
    parameter name: the body of each fuzz module's `world` fixture."""
    app = make_app(database, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_tables()
        portal = make_portal()
        _, open_token = store.start_scan(get_catalog().get("vastgoed"), ttl_days=90)
        real = {
            "token": [portal.token, open_token],
            "public_id": [portal.share.public_id],
            "theme_id": [t.id for t in get_catalog().get("vastgoed").themes],
            "questionnaire_id": list(get_catalog().latest),
        }
        accounts_by_role = {
            "adviser": portal.adviser_a.email,
            "admin": portal.admin.email,
            "branch_admin": portal.branch_admin.email,
        }
        tokens = {"open_token": open_token, "submitted_token": portal.token}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    names = _names_in_source() | _names_in_pages(app, rules, real, accounts_by_role, tokens)
    yield app, rules, real, accounts_by_role, tokens, sorted(names)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _names_in_pages(app, rules, real, accounts_by_role, tokens) -> set[str]:
    """Return the names of all form fields on every page, as each audience sees it."""
    found = set()
    for role, client in clients_of(app, accounts_by_role, tokens).items():
        for rule in rules:
            if "GET" not in rule.methods or not may_send(role, rule):
                continue
            arguments = sorted(rule.arguments)
            for combination in itertools.product(*(real.get(a, ["x"]) for a in arguments)):
                response = client.get(
                    route_url(rule, dict(zip(arguments, combination, strict=True)))
                )
                if response.mimetype == "text/html":
                    found |= set(re.findall(r'name="([^"]+)"', response.get_data(as_text=True)))
    return found


def _client(app, email):
    client = app.test_client()
    if email:
        response = client.post("/inloggen", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302
    return client


def _scan_client(app, token: str):
    """Return a browser that opened a scan through its personal link."""
    client = app.test_client()
    assert client.get(f"/scan/{token}/").status_code == 303
    return client


def clients_of(app, accounts_by_role, tokens) -> dict:
    """Return one browser per audience: anonymous, each account role, each kind of scan session."""
    clients = {role: _client(app, accounts_by_role.get(role)) for role in [None, *accounts_by_role]}
    for role, name in SCAN_ROLES.items():
        clients[role] = _scan_client(app, tokens[name])
    return clients


def may_send(role, rule) -> bool:
    """Tell whether this browser may be sent to this route without losing its scan session."""
    return role not in SCAN_ROLES or rule.endpoint not in SESSION_CHANGING


def route_url(rule, path_values: dict) -> str:
    return re.sub(
        r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(path_values.get(m.group(1), "x")), rule.rule
    )


def roles_past_checks(clients, rule, method, real) -> list:
    """Return the roles that get past the route's login and role checks."""
    url = route_url(rule, {k: v[0] for k, v in real.items()})
    roles = []
    for role, client in clients.items():
        if not may_send(role, rule):
            continue
        response = client.open(url, method=method)
        if response.status_code != 403 and "/inloggen?" not in (response.location or ""):
            roles.append(role)
    return roles or [role for role in clients if may_send(role, rule)]


def quote_value(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
