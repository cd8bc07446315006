"""Authorisation matrix: every adviser, admin, auth, sharing and studio route against every role."""

from __future__ import annotations

import pytest
from portal_factories import (
    FAST_HASHER,
    app_on_copy,
    build_template,
    csrf_token,
    login,
    make_portal,
)
from studio_samples import OVERLAY

from scan.platform.extensions import db
from scan.platform.models import Share
from scan.portal import accounts

ROLES = (
    "anonymous",
    "entrepreneur",
    "adviser_a",
    "adviser_b",
    "branch_admin",
    "admin",
    "coordinator",  # an adviser of organisation A who manages A's accounts
)
LOGIN = "login"  # redirected to the login page (with ?next=)
OK, FORBIDDEN, NOT_FOUND = "ok", "forbidden", "not found"
CONFLICT = "conflict"  # 409: allowed, but not in this document's state
STUDIO = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)
STUDIO_FOREIGN = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, OK)
STAFF = (LOGIN, LOGIN, OK, OK, OK, OK, OK)  # every logged-in staff member, for their own account
EVERYONE = (OK,) * 7
NOBODY = (NOT_FOUND,) * 7
MANAGERS = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)  # admin and coordinator
ADMIN_ONLY = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)
FOREIGN_ACCOUNT = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND)

# (name, method, path template, expected outcome per role in ROLES order)
ROUTES = [
    ("login page", "GET", "/inloggen", (OK, OK, OK, OK, OK, OK)),
    ("logout", "POST", "/uitloggen", (LOGIN, LOGIN, OK, OK, OK, OK)),
    ("list", "GET", "/adviseur/", (LOGIN, LOGIN, OK, OK, FORBIDDEN, FORBIDDEN)),
    (
        "detail",
        "GET",
        "/adviseur/scans/{share}",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    (
        "status",
        "POST",
        "/adviseur/scans/{share}/status",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    (
        "note",
        "POST",
        "/adviseur/scans/{share}/notities",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    (
        "pdf",
        "GET",
        "/adviseur/scans/{share}/rapport.pdf?notities=1",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    (
        "caseload export",
        "GET",
        "/adviseur/scans.csv",
        (LOGIN, LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
    ),
    (
        "assign",
        "POST",
        "/adviseur/scans/{share}/toewijzen",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    (
        "next step",
        "POST",
        "/adviseur/scans/{share}/volgende-stap",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    ("trends", "GET", "/adviseur/trends", (LOGIN, LOGIN, OK, OK, OK, OK)),
    ("trends csv", "GET", "/adviseur/trends.csv", (LOGIN, LOGIN, OK, OK, OK, OK)),
    ("audit log", "GET", "/beheer/audit", (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    # Accounts in the browser (issue 26): admins for all, coordinators for their own organisation.
    ("accounts", "GET", "/beheer/accounts", MANAGERS),
    ("account create", "POST", "/beheer/accounts", MANAGERS),
    ("organisation create", "POST", "/beheer/organisaties", ADMIN_ONLY),
    ("require two factors", "POST", "/beheer/tweestaps", ADMIN_ONLY),
    ("organisation on or off", "POST", "/beheer/organisaties/{org_b}/actief", ADMIN_ONLY),
    ("account page", "GET", "/beheer/accounts/{own_account}", MANAGERS),
    ("account page other org", "GET", "/beheer/accounts/{foreign_account}", FOREIGN_ACCOUNT),
    *[
        (f"account {action}", "POST", f"/beheer/accounts/{{own_account}}/{action}", MANAGERS)
        for action in ("sessies", "uitnodiging", "wachtwoord", "tweede-stap", "uitzetten")
    ],
    ("account other org", "POST", "/beheer/accounts/{foreign_account}/uitzetten", FOREIGN_ACCOUNT),
    ("end one session", "POST", "/beheer/accounts/{own_account}/sessies/{share}", MANAGERS),
    (
        "end one session other org",
        "POST",
        "/beheer/accounts/{foreign_account}/sessies/{share}",
        FOREIGN_ACCOUNT,
    ),
    # My account: every staff member for their own account only.
    ("my account", "GET", "/account/", STAFF),
    ("app setup page", "GET", "/account/app", STAFF),
    ("app setup", "POST", "/account/app", STAFF),
    ("app remove", "POST", "/account/app/verwijderen", STAFF),
    ("passkey options", "POST", "/account/passkey/opties", STAFF),
    ("passkey add", "POST", "/account/passkey", STAFF),
    ("passkey remove", "POST", "/account/passkey/1/verwijderen", STAFF),
    ("recovery codes page", "GET", "/account/herstelcodes", STAFF),
    ("recovery codes new", "POST", "/account/herstelcodes", STAFF),
    ("password page", "GET", "/account/wachtwoord", STAFF),
    ("password change", "POST", "/account/wachtwoord", STAFF),
    # The login's second step and links from e-mail: nobody gets further than their own state.
    ("second step", "GET", "/inloggen/tweede-stap", EVERYONE),
    ("second step code", "POST", "/inloggen/tweede-stap", EVERYONE),
    ("second step passkey options", "POST", "/inloggen/passkey/opties", EVERYONE),
    ("second step passkey", "POST", "/inloggen/passkey", EVERYONE),
    ("confirm page", "GET", "/inloggen/bevestigen", STAFF),
    ("confirm", "POST", "/inloggen/bevestigen", STAFF),
    ("invitation guessed", "GET", "/welkom/{share}", NOBODY),
    ("invitation guessed post", "POST", "/welkom/{share}", NOBODY),
    ("forgot password page", "GET", "/wachtwoord-vergeten", EVERYONE),
    # The questionnaire on paper: public, as the questionnaire's own page is.
    ("printable questionnaire", "GET", "/scan/voorbeeld/afdrukken", EVERYONE),
    ("printable branch questionnaire", "GET", "/scan/gepubliceerd/afdrukken", EVERYONE),
    ("printable unknown questionnaire", "GET", "/scan/bestaat_niet/afdrukken", NOBODY),
    ("forgot password", "POST", "/wachtwoord-vergeten", EVERYONE),
    ("security.txt unconfigured", "GET", "/.well-known/security.txt", NOBODY),
    # The entrepreneur's routes need the scan session that the scan's link opens; everyone else
    # can only guess a link. An adviser knows the share's public id, so that is what they try,
    # and without a scan session they get the neutral page (403).
    (
        "share page",
        "GET",
        "/scan/delen",
        (FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    (
        "share",
        "POST",
        "/scan/delen",
        (FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    (
        "withdraw page",
        "GET",
        "/scan/delen/{share}/intrekken",
        (FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    (
        "withdraw",
        "POST",
        "/scan/delen/{share}/intrekken",
        (FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    # Visits (issue 25): advisers start them; a visit is seen only by its own organisation.
    # Its scan pages need the browser the visit started in: nobody here holds one, not even
    # the entrepreneur with the link (tests/portal/test_visits.py covers the adviser who does).
    ("visit start page", "GET", "/adviseur/bezoek", (LOGIN, LOGIN, OK, OK, FORBIDDEN, FORBIDDEN)),
    ("visit start", "POST", "/adviseur/bezoek", (LOGIN, LOGIN, OK, OK, FORBIDDEN, FORBIDDEN)),
    (
        "visit page",
        "GET",
        "/adviseur/bezoeken/{visit}",
        (LOGIN, LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    ),
    *[
        (f"visit {name}", method, path, (FORBIDDEN,) * 7)
        for name, method, path in (
            ("hand-over", "GET", "/scan/bezoek/overdragen"),
            ("handout", "GET", "/scan/bezoek/uitdeelblad"),
            ("share", "POST", "/scan/bezoek/delen"),
            ("no share", "POST", "/scan/bezoek/niet-delen"),
            ("theme notes", "POST", "/scan/bezoek/thema/klanten"),
            ("remove action", "POST", "/scan/bezoek/afspraak/1/verwijderen"),
        )
    ],
    # The studio: branch admins for their own organisation's documents, admins for all.
    ("branch page", "GET", "/branche/{branch_slug}", (OK, OK, OK, OK, OK, OK)),
    ("branch list", "GET", "/branche/", (OK, OK, OK, OK, OK, OK)),
    ("studio list", "GET", "/studio/", STUDIO),
    ("studio new", "POST", "/studio/nieuw", STUDIO),
    ("studio guide", "GET", "/studio/handleiding", STUDIO),
    *[
        (f"studio {name}{suffix}", method, path.replace("{doc}", "{" + key + "}"), outcome)
        for key, suffix, outcome in (("doc", "", STUDIO), ("foreign", " other org", STUDIO_FOREIGN))
        for name, method, path in (
            ("editor", "GET", "/studio/{doc}"),
            ("check", "POST", "/studio/{doc}"),
            ("upload", "POST", "/studio/{doc}/upload"),
            ("download", "GET", "/studio/{doc}/download"),
            ("examples", "GET", "/studio/{doc}/voorbeelden"),
            ("changes", "GET", "/studio/{doc}/wijzigingen"),
            ("preview", "GET", "/studio/{doc}/proef"),
            ("publish page", "GET", "/studio/{doc}/publiceren"),
            ("publish", "POST", "/studio/{doc}/publiceren"),
            ("earlier saves", "GET", "/studio/{doc}/eerdere-versies"),
            ("discard waiting text", "POST", "/studio/{doc}/bewaarde-tekst-weg"),
            ("question form", "GET", "/studio/{doc}/formulier/vraag"),
            ("question form post", "POST", "/studio/{doc}/formulier/vraag"),
            ("rule form", "GET", "/studio/{doc}/formulier/advies"),
            ("rule form post", "POST", "/studio/{doc}/formulier/advies"),
            ("referral form", "GET", "/studio/{doc}/formulier/doorverwijzing"),
            ("referral form post", "POST", "/studio/{doc}/formulier/doorverwijzing"),
            ("base tab", "GET", "/studio/{doc}/basis"),
            ("ids", "GET", "/studio/{doc}/ids.json"),
            ("preview visibility", "POST", "/studio/{doc}/proef/zichtbaar"),
            ("preview pdf", "POST", "/studio/{doc}/proef/rapport.pdf"),
            ("languages", "GET", "/studio/{doc}/talen"),
            ("language edit", "GET", "/studio/{doc}/talen/en"),
            ("language save", "POST", "/studio/{doc}/talen/pl"),
            ("language download", "GET", "/studio/{doc}/talen/en/download"),
            ("language upload", "POST", "/studio/{doc}/talen/en/upload"),
        )
    ],
    # No earlier save 999: allowed roles reach the route and get 404.
    *[
        (
            f"studio restore an earlier save{suffix}",
            "POST",
            "/studio/{" + key + "}/eerdere-versies/999",
            (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
        )
        for key, suffix in (("doc", ""), ("foreign", " other org"))
    ],
    ("studio retire page", "GET", "/studio/{published}/intrekken", STUDIO),
    ("studio retire", "POST", "/studio/{published}/intrekken", STUDIO),
    ("studio new version", "POST", "/studio/{published}/nieuwe-versie", STUDIO),
    ("studio republish", "POST", "/studio/{published}/opnieuw-publiceren", STUDIO),
    (
        "studio restore, nothing retired",
        "POST",
        "/studio/{published}/terugzetten",
        STUDIO,
    ),
    (
        "studio rebase",
        "POST",
        "/studio/{doc}/basis-bijwerken",
        (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, CONFLICT, CONFLICT),
    ),
    (
        "studio retire draft",
        "POST",
        "/studio/{doc}/intrekken",
        (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, CONFLICT, CONFLICT),
    ),
]
# A coordinator is an adviser of organisation A: on the older routes, the same as adviser_a.
ROUTES = [(n, m, p, e if len(e) == len(ROLES) else (*e, e[2])) for n, m, p, e in ROUTES]
CASES = [
    pytest.param(method, path, role, expected[i], id=f"{name}-{role}")
    for name, method, path, expected in ROUTES
    for i, role in enumerate(ROLES)
]
EMAILS = {
    "adviser_a": "adviseur@pvo-bz.nl",
    "adviser_b": "adviseur@pvo-limburg.nl",
    "branch_admin": "branche@example.nl",
    "admin": "beheer@example.nl",
    "coordinator": "coordinator@pvo-bz.nl",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The standard portal, built once; each matrix case gets its own copy of the database."""
    saved = accounts._hasher
    accounts._hasher = FAST_HASHER
    try:
        path, ids = build_template(tmp_path_factory.mktemp("portal"))
    finally:
        accounts._hasher = saved
    return path, {**ids, "visit": visit_on(path)}


def visit_on(path) -> str:
    """Add a visit of organisation A to a template database; return its public id."""
    from portal_factories import TEST_CONFIG

    from scan import create_app
    from scan.platform.catalog import get_catalog
    from scan.platform.models import User
    from scan.scans import visits

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        adviser = db.session.scalar(db.select(User).filter_by(email=EMAILS["adviser_a"]))
        visit, _, _ = visits.start_visit(get_catalog().get("vastgoed"), adviser, "bezoek", 90)
        public_id = visit.public_id
        db.session.remove()
        db.engine.dispose()
    return public_id


@pytest.fixture
def matrix_app(template, tmp_path):
    app = app_on_copy(template[0], tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


def _outcome(response) -> str:
    if response.status_code == 302 and "/inloggen?next=" in response.location:
        return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 409:
        return CONFLICT
    # 422: let in, the form shows its errors; 400: let in, the JSON body was refused.
    if response.status_code in (200, 302, 400, 422):
        return OK
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_route_access__by_role(template, matrix_app, method, path, role, expected):
    ids = template[1]
    share_id, token, org_b = ids["share"], ids["token"], ids["org_b"]
    client = matrix_app.test_client()
    if role in EMAILS:
        assert login(client, EMAILS[role]).status_code == 302
    # Only the entrepreneur holds the real link; the others try the share's public id.
    link = client.get(f"/scan/{token if role == 'entrepreneur' else share_id}/")
    assert link.status_code == (303 if role == "entrepreneur" else 404)
    url = path.format(
        share=share_id,
        **{
            key: ids[key]
            for key in (
                "doc",
                "published",
                "foreign",
                "branch_slug",
                "own_account",
                "foreign_account",
                "org_b",
                "visit",
            )
        },
    )
    data = {}
    if method == "POST":
        source = {
            "anonymous": "/inloggen",
            "entrepreneur": f"/scan/delen/{share_id}/intrekken",
        }
        data = {
            "csrf_token": csrf_token(client, source.get(role, "/adviseur/trends")),
            "status": "in_behandeling",
            "text": "Gebeld, bezoek volgt.",
            "organisation": str(org_b),
            "consent": "y",
            # The studio's forms: a new tailored scan, and a check of the draft's text.
            "base": "voorbeeld@1",
            "questionnaire_id": "matrix_nieuw",
            "owner": str(ids["branch_org"]),
            "source": OVERLAY,
            "action": "controleren",
            # The caseload's forms: assign to nobody, plan a call.
            "adviseur": "",
            "stap": "bellen",
            "stap_datum": "2026-12-07",
        }
    response = client.open(url, method=method, data=data)
    assert _outcome(response) == expected


def test_denied_roles__change_nothing(app, client):
    with app.app_context():
        portal = make_portal()
        share_id = portal.share.public_id
    login(client, "adviseur@pvo-limburg.nl")
    token = csrf_token(client, "/adviseur/trends")
    client.post(
        f"/adviseur/scans/{share_id}/status", data={"csrf_token": token, "status": "afgerond"}
    )
    client.post(f"/adviseur/scans/{share_id}/notities", data={"csrf_token": token, "text": "x"})
    data = {"csrf_token": token, "adviseur": "", "stap": "bellen", "stap_datum": "2026-12-07"}
    client.post(f"/adviseur/scans/{share_id}/toewijzen", data=data)
    client.post(f"/adviseur/scans/{share_id}/volgende-stap", data=data)
    with app.app_context():
        share = db.session.scalar(db.select(Share).filter_by(public_id=share_id))
        assert share.status == "nieuw"
        assert share.notes == []
        assert (share.case.next_action, share.case.last_activity) == (None, None)


@pytest.mark.parametrize("guess", ["1", "2", "00000000000000000000000000000001"])
def test_detail__guessed_id__not_found(app, client, guess):
    with app.app_context():
        make_portal()
    login(client, "adviseur@pvo-bz.nl")
    assert client.get(f"/adviseur/scans/{guess}").status_code == 404


def test_public_id__random_128_bits(app):
    with app.app_context():
        portal = make_portal()
        other = Share(scan=portal.scan, organisation=portal.org_b, consent_version="t")
        db.session.add(other)
        db.session.commit()
        ids = [portal.share.public_id, other.public_id]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert ids[0] != ids[1]
    assert not any(i.isdigit() and int(i) < 10**6 for i in ids)
