"""Fuzz every route of the app (app.url_map) with every form and query parameter: no 5xx.

Parameter names are not listed by hand: they are read from the forms on the pages (name="...")
and from the request.args/request.form look-ups in the package, so new ones are fuzzed too.
CSRF is off here so that fuzzed forms reach the views; CSRF has its own tests.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from conftest import create_tables, make_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_factories import PASSWORD, make_portal
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.inputs import FREE_TEXT_PARAMETERS
from scan.platform.models import User
from scan.scans import store
from scan.studio import documents

SCAN = Path(__file__).resolve().parents[2] / "scan"
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
    return found


@pytest.fixture
def world(database):
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
    for role, client in _clients(app, accounts_by_role, tokens).items():
        for rule in rules:
            if "GET" not in rule.methods or not _may_send(role, rule):
                continue
            arguments = sorted(rule.arguments)
            for combination in itertools.product(*(real.get(a, ["x"]) for a in arguments)):
                response = client.get(_url(rule, dict(zip(arguments, combination, strict=True))))
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


def _clients(app, accounts_by_role, tokens) -> dict:
    """Return one browser per audience: anonymous, each account role, each kind of scan session."""
    clients = {role: _client(app, accounts_by_role.get(role)) for role in [None, *accounts_by_role]}
    for role, name in SCAN_ROLES.items():
        clients[role] = _scan_client(app, tokens[name])
    return clients


def _may_send(role, rule) -> bool:
    """Tell whether this browser may be sent to this route without losing its scan session."""
    return role not in SCAN_ROLES or rule.endpoint not in SESSION_CHANGING


def _url(rule, path_values: dict) -> str:
    return re.sub(
        r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(path_values.get(m.group(1), "x")), rule.rule
    )


def _audience(clients, rule, method, real) -> list:
    """Return the roles that get past the route's login and role checks."""
    url = _url(rule, {k: v[0] for k, v in real.items()})
    roles = []
    for role, client in clients.items():
        if not _may_send(role, rule):
            continue
        response = client.open(url, method=method)
        if response.status_code != 403 and "/inloggen?" not in (response.location or ""):
            roles.append(role)
    return roles or [role for role in clients if _may_send(role, rule)]


def test_fuzz__every_route_and_parameter__never_5xx(world):
    app, rules, real, accounts_by_role, tokens, names = world
    clients = _clients(app, accounts_by_role, tokens)
    names_or_any = st.sampled_from(names) | st.text(max_size=10)
    checked = 0
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            _sweep_route(clients, rule, method, real, names)
            _fuzz_route(clients, rule, method, real, names_or_any)
            checked += 1
    assert checked >= 25


def _sweep_route(clients, rule, method, real, names) -> None:
    """Send every known-bad value in each path variable, and in every parameter at once."""
    audience = _audience(clients, rule, method, real)
    fine = {a: real.get(a, ["x"])[-1] for a in rule.arguments}
    for value in SWEEP:
        attempts = [(dict(fine), {name: value for name in names})]
        if rule.endpoint not in DESTRUCTIVE:
            attempts += [({**fine, arg: value}, {}) for arg in rule.arguments]
            attempts += [({**fine, arg: fine[arg] + value}, {}) for arg in rule.arguments]
        for path_values, params in attempts:
            url = _url(rule, {k: _quote(v) for k, v in path_values.items()})
            client = clients[audience[0]]
            if method == "GET":
                response = client.get(url, query_string=params)
            else:
                response = client.open(url, method=method, data=params)
            assert response.status_code < 500, (method, url, value, audience[0])


def _fuzz_route(clients, rule, method, real, names_or_any) -> None:
    """Send one route fuzzed paths, query strings or forms from the roles that may use it."""
    audience = _audience(clients, rule, method, real)

    @FUZZ
    @given(data=st.data())
    def run(data):
        path_values = {}
        for arg in rule.arguments:
            choices = [] if rule.endpoint in DESTRUCTIVE else real.get(arg, [])
            real_ones = st.sampled_from(choices) if choices else values
            # A real value, a fuzzed one, or a real one with something nasty glued on.
            strategy = st.one_of(real_ones, values, st.builds(str.__add__, real_ones, nasty))
            path_values[arg] = data.draw(strategy, label=arg)
        params = data.draw(st.dictionaries(names_or_any, values, max_size=6))
        role = data.draw(st.sampled_from(audience), label="role")
        url = _url(rule, {k: _quote(v) for k, v in path_values.items()})
        if method == "GET":
            response = clients[role].get(url, query_string=params)
        else:
            response = clients[role].open(url, method=method, data=params)
        assert response.status_code < 500, (method, url, params, role)

    run()


def test_free_text_parameters__a_long_number_is_text__no_400(world):
    """A phone number or reference typed into a free-text parameter is never refused as big."""
    app, rules, real, accounts_by_role, tokens, names = world
    clients = _clients(app, accounts_by_role, tokens)
    assert FREE_TEXT_PARAMETERS & set(names)
    for name in FREE_TEXT_PARAMETERS & set(names):
        response = clients[None].get("/", query_string={name: "+31698765432"})
        assert response.status_code != 400, name


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def test_out_of_range_integer__every_query_parameter__dutch_400(world):
    """Every route that answers a page, with any query parameter holding a huge number: 400.

    Free-text parameters (a search, a reference, a next address) are text, never a number:
    a phone number typed into the caseload's search is a search. They get a test of their own.
    """
    app, rules, real, accounts_by_role, tokens, names = world
    clients = _clients(app, accounts_by_role, tokens)
    checked = 0
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        url = _url(rule, {k: v[-1] for k, v in real.items()})
        for role in _audience(clients, rule, "GET", real)[:1]:
            for name in ["pagina", *(n for n in names if n not in FREE_TEXT_PARAMETERS)]:
                response = clients[role].get(url, query_string={name: HUGE})
                assert response.status_code == 400, (url, name, role, response.status_code)
                assert "getal dat te groot is" in response.get_data(as_text=True)
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("depth", [40, 20_000])
def test_deep_structure__every_form_field_and_json_body__dutch_400(world, depth):
    """Nested brackets in every form field at once (a shallow 40, within the size limit), and
    a JSON body, on every route that takes a post: 400, never a parser's RecursionError."""
    app, rules, real, accounts_by_role, tokens, names = world
    clients = _clients(app, accounts_by_role, tokens)
    value = "[" * depth + "]" * depth
    form = {n: value for n in names}
    checked = 0
    for rule in rules:
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            if rule.endpoint in DESTRUCTIVE:
                continue
            url = _url(rule, {k: v[-1] for k, v in real.items()})
            for role in _audience(clients, rule, method, real):
                client = clients[role]
                responses = [
                    client.open(url, method=method, data=value, content_type="application/json")
                ]
                if depth < 100:  # deeper, every field at once passes the size limit: 413
                    responses.append(client.open(url, method=method, data=form))
                for response in responses:
                    assert response.status_code == 400, (method, url, role)
                    checked += 1
    assert checked > 20


def test_preview__answers_nested_20000_deep__400_not_500(world):
    app, rules, real, accounts_by_role, tokens, names = world
    client = _clients(app, accounts_by_role, tokens)["branch_admin"]
    with app.app_context():
        admin = db.session.scalars(db.select(User).filter_by(role="branch_admin")).first()
        doc, _ = documents.import_text(admin.organisation, "test", OVERLAY, get_catalog())
        db.session.commit()
        url = f"/studio/{doc.public_id}/proef"
    response = client.post(url, data={"answers": DEEP, "page": "fysiek"})
    assert response.status_code == 400
    assert "te diep in elkaar genest" in response.get_data(as_text=True)
