"""Factories for the adviser portal tests: organisations, accounts, submitted and shared scans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Organisation, Scan, Share, User
from scan.portal import accounts
from scan.scans import sharing as shares
from scan.scans import store

PASSWORD = "een lang en sterk wachtwoord"
# Cheap argon2 parameters keep the suite fast; tests that check rehashing set their own.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_org(name: str, kind: str = "pvo") -> Organisation:
    """Create and commit an organisation."""
    org = accounts.create_organisation(name, kind)
    db.session.commit()
    return org


def make_user(email: str, role: str, org: Organisation | None = None) -> User:
    """Create and commit an account with the test password."""
    user = accounts.create_user(email, PASSWORD, role, org)
    db.session.commit()
    return user


def submitted_scan(sector: str = "vastgoed", example: int = 0) -> tuple[Scan, str]:
    """Start and submit a scan with one of the sector's example answer sets; return it and token."""
    q = get_catalog().get(sector)
    scan, token = store.start_scan(q, ttl_days=90)
    scan.answers = dict(q.examples[example].answers)
    store.submit_scan(scan, q)
    return scan, token


def share_scan(scan: Scan, org: Organisation, **contact) -> Share:
    """Share a scan with an organisation, as the entrepreneur would (contact: name=, phone=...)."""
    share, _ = shares.create_share(db.session, scan, org, shares.Contact(**contact), "test")
    return share


def scan_page(client, token: str, suffix: str) -> str:
    """Open a scan in the client's browser session through its link; return the page's address."""
    response = client.get(f"/scan/{token}/")
    assert response.status_code in (303, 404), response.status_code
    return "/scan" + suffix


def csrf_token(client, url: str) -> str:
    """Return the CSRF token from a page's form."""
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    """Log in through the form; return the response."""
    token = csrf_token(client, "/inloggen")
    return client.post(
        "/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )


@dataclass
class Portal:
    """A small world: organisations A and B, their advisers, an admin, one shared scan."""

    org_a: Organisation
    org_b: Organisation
    adviser_a: User
    adviser_b: User
    admin: User
    branch_admin: User
    scan: Scan
    token: str
    share: Share


def make_portal() -> Portal:
    """Create the standard world (inside an app context)."""
    org_a = make_org("PVO Brabant-Zeeland")
    org_b = make_org("PVO Limburg")
    branch = make_org("Vereniging Vastgoed", kind="branche")
    scan, token = submitted_scan()
    share = share_scan(scan, org_a, name="Jan Jansen", phone="06 1234 5678")
    return Portal(
        org_a=org_a,
        org_b=org_b,
        adviser_a=make_user("adviseur@pvo-bz.nl", "adviser", org_a),
        adviser_b=make_user("adviseur@pvo-limburg.nl", "adviser", org_b),
        admin=make_user("beheer@example.nl", "admin"),
        branch_admin=make_user("branche@example.nl", "branch_admin", branch),
        scan=scan,
        token=token,
        share=share,
    )


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "SESSION_COOKIE_SECURE": False,
    "RATELIMIT_ENABLED": False,
    "REPORT_PRERENDER": False,  # tests/test_first_pdf.py switches it on
}


def build_template(folder) -> tuple[object, dict]:
    """Build a SQLite database with the standard portal once; return its path and the ids."""
    from scan import create_app

    path = folder / "portal.sqlite"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        portal = make_portal()
        coordinator = make_user("coordinator@pvo-bz.nl", "adviser", portal.org_a)
        coordinator.coordinator = True
        db.session.commit()
        ids = {
            "share": portal.share.public_id,
            "token": portal.token,
            "org_b": portal.org_b.id,
            "own_account": portal.adviser_a.public_id,
            "foreign_account": portal.adviser_b.public_id,
        }
        ids.update(make_studio_documents(portal.branch_admin.organisation))
        db.session.remove()
        db.engine.dispose()
    return path, ids


def make_studio_documents(branch: Organisation) -> dict:
    """Give the branch a valid draft and a published scan, and another branch a draft."""
    from studio_samples import OVERLAY

    from scan.studio import documents

    catalog = get_catalog()
    other = make_org("Andere Branche", kind="branche")
    draft, _ = documents.import_text(branch, "test", OVERLAY, catalog)
    published, _ = documents.import_text(
        branch, "test", OVERLAY.replace("voorbeeld_recron", "gepubliceerd"), catalog
    )
    documents.publish(published, "test", catalog)
    foreign, _ = documents.import_text(
        other, "test", OVERLAY.replace("voorbeeld_recron", "van_anderen"), catalog
    )
    db.session.commit()
    return {
        "doc": draft.public_id,
        "published": published.public_id,
        "foreign": foreign.public_id,
        "branch_slug": accounts.slug(branch.name),
        "branch_org": branch.id,
    }


def app_on_copy(template, tmp_path):
    """Return a fresh app on a private copy of a template database."""
    import shutil

    from scan import create_app

    path = tmp_path / "copy.sqlite"
    shutil.copyfile(template, path)
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


def raw_scan(
    sector: str,
    submitted_at,
    overall: float | None,
    risk: str | None,
    red_flag: bool = False,
    themes: dict | None = None,
    rules: tuple[str, ...] = (),
    submitted: bool = True,
) -> Scan:
    """Store a scan with given figures directly and count it in trends (unless not submitted).

    Not committed; submitted=False keeps submitted_at empty (an unfinished scan).
    """
    import datetime as dt

    from scan.platform.models import ScanFiredRule, ScanThemeScore
    from scan.platform.stamps import hash_token as _hash
    from scan.platform.stamps import new_token

    version = store.pin_version(get_catalog().get(sector))
    scan = Scan(
        token_hash=_hash(new_token()),
        questionnaire_version=version,
        questionnaire_id=sector,
        answers={},
        expires_at=submitted_at + dt.timedelta(days=3650),
        submitted_at=submitted_at if submitted else None,
        overall=overall,
        risk_level=risk,
        red_flag=red_flag,
        theme_scores=[ScanThemeScore(theme_id=k, score=v) for k, v in (themes or {}).items()],
        fired_rules=[ScanFiredRule(rule_id=r, priority="high") for r in rules],
    )
    db.session.add(scan)
    if submitted:
        from scan.scans import trend_counters

        trend_counters.record_submitted(db.session, scan)
    return scan


def read_as_dutch_excel(data: bytes) -> list[list[str]]:
    """Read a CSV download as Dutch Excel does: UTF-8 only with a BOM, ';' between cells.

    Excel opens a .csv without a BOM as the Windows code page (accents break), splits cells on
    the list separator of the Dutch locale (';'), and reads "58,3" as a number.
    """
    import codecs
    import csv
    import io

    assert data.startswith(codecs.BOM_UTF8), "without a BOM Excel reads the file as cp1252"
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows and all(len(row) == len(rows[0]) for row in rows), "every row as wide as the head"
    return rows
