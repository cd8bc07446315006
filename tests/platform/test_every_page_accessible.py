"""Every page type in headless Chromium at 1280 and 320 px with axe-core (issue 23): 0 serious
or critical violations and 0 `region`, and no sideways scrolling at 320 px.

One walk visits each kind of page as the person who sees it: the public pages, an
entrepreneur's scan (sector, link, theme, errors, check answers, save and return, the link on
request, result with its action plan, share consent and withdrawal, repeat, delete), the
staff pages for each role (login, second step, confirmation, invitation, account security,
adviser list, shared scan, trends, audit log, accounts), the studio (list, editor, trial run and
its result, examples, changes, publish, retire), an adviser's visit (start, the visit, its
handover and handout) and the error page. Which template drew the
page is noted at every check, and the test fails when a page template exists that the walk
never checked: a new page type cannot go unaudited.

SCREENSHOTS=/some/folder saves a PNG of every page at both widths to look at.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from browser_support import Checker, serve, sideways
from flask import request, template_rendered
from portal_factories import FAST_HASHER, PASSWORD, app_on_copy, build_template, submitted_scan
from scans.test_e2e_scan import answer_visible_questions  # tests/scans/

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.portal import accounts, invitations, twofactor

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
SCAN_ROOT = Path(__file__).resolve().parents[2] / "scan"
# Templates that are no page of their own: layouts, partials, components, e-mails.
NOT_PAGES = {"base.html", "scans/layout.html"}


def page_templates() -> set[str]:
    """Return the name of every page template in the app, as render_template knows it."""
    names = set()
    for path in SCAN_ROOT.glob("*/templates/**/*.html"):
        name = "/".join(path.parts[path.parts.index("templates") + 1 :])
        if name.startswith(("mail/", "components/")) or path.name.startswith("_"):
            continue
        if name not in NOT_PAGES:
            names.add(name)
    return names


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    template, ids = build_template(tmp_path)
    app = app_on_copy(template, tmp_path)
    with app.app_context():
        invited = accounts.create_user("nieuw@example.nl", None, "admin", None)
        db.session.flush()
        ids["invitation"] = invitations.create_link(invited, "invite")
        ids["app_secret"] = secret = twofactor.new_app_secret()
        user = accounts.get_user("adviseur@pvo-limburg.nl")
        assert twofactor.enable_app(user, secret, pyotp.TOTP(secret).at(time.time() - 30))
        db.session.commit()
        examples = get_catalog().get("vastgoed").examples
        for kind, index in (
            ("weak", next(i for i, e in enumerate(examples) if e.name == "kwetsbaar")),
            ("red_flag", next(i for i, e in enumerate(examples) if e.expect.red_flag)),
        ):
            ids[kind] = submitted_scan("vastgoed", index)[1]

    drawn: list[tuple[str, str]] = []

    def note(sender, template, context, **extra):
        drawn.append((request.path, template.name))  # a favicon's 404 page is no page shown

    template_rendered.connect(note, app)
    with serve(app) as base:
        yield base, ids, drawn
    template_rendered.disconnect(note, app)


class Walk:
    """Check each page at both widths; note which template drew it."""

    def __init__(self, browser, base: str, drawn: list[tuple[str, str]]):
        self.browser, self.base, self.drawn = browser, base, drawn
        self.axe = Checker()
        self.audited: dict[str, str] = {}
        self.overflow: list[str] = []
        self.shots = os.environ.get("SCREENSHOTS")
        self.page = None

    def fresh(self):
        """Start a new browser (no cookies), at the wide width."""
        if self.page is not None:
            self.page.context.close()
        context = self.browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        self.page = context.new_page()
        return self.page

    def go(self, path: str, kind: str, status: int = 200):
        response = self.page.goto(self.base + path)
        assert response.status == status, (kind, response.status, self.page.url)
        self.check(kind)

    def check(self, kind: str):
        page = self.page
        page.wait_for_load_state("load")
        pages = page_templates()
        path = urlsplit(page.url).path
        shown = next(
            (name for at, name in reversed(self.drawn) if at == path and name in pages), None
        )
        self.audited.setdefault(shown, kind)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900 if width > 400 else 640})
            self.axe.check(page, f"{kind} at {width} px")
            if sideways(page) > 0:
                self.overflow.append(f"{kind} at {width} px: {sideways(page)} px sideways")
            if self.shots:
                name = f"{len(self.axe.checked):03d}-{kind.replace(' ', '-')}-{width}.png"
                page.screenshot(path=str(Path(self.shots) / name), full_page=width < 400)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def click(self, name: str, role: str = "button"):
        """Click a link or button and wait for the page it leads to (not the one left)."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role(role, name=name).first.click()

    def login(self, email: str):
        self.fresh()
        self.page.goto(self.base + "/inloggen")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        self.click("Inloggen")


@pytest.mark.slow
def test_every_page_type__axe_clean_at_1280_and_320_px(site, browser):
    base, ids, drawn = site
    walk = Walk(browser, base, drawn)
    page = walk.fresh()

    # Public pages.
    walk.go("/", "landing page")
    walk.go("/branche/", "branch organisations")
    walk.go(f"/branche/{ids['branch_slug']}", "branch page")
    walk.go("/privacy", "privacy statement")
    walk.go("/veilig-gebruiken", "safe use")
    walk.go("/toegankelijkheid", "accessibility statement")
    walk.go("/scan/overzicht", "no scan in this browser", status=403)

    # An entrepreneur's new scan: sector, link, a theme, errors, check answers, save and return.
    walk.go("/scan/vastgoed", "sector page")
    walk.click("Start de scan")
    walk.check("scan start with its link")
    walk.click("Begin met de vragen", role="link")
    walk.check("theme page")
    more = page.get_by_role("button", name="Volgende vragen")
    while more.count() and more.is_visible():
        more.click()
    walk.click("Opslaan en verder")
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    walk.check("theme page with errors")
    walk.go("/scan/controle", "check answers")
    walk.click("Verstuur en bekijk uw resultaat")
    walk.check("check answers with errors")
    walk.go("/scan/opgeslagen", "saved, come back later")
    walk.click("Laat mijn link zien")
    walk.check("the link on request")
    walk.go("/scan/verwijderen", "delete")
    walk.click("Ja, verwijder mijn scan")
    walk.check("deleted")

    # The shared, submitted scan: result with action plan, sharing, withdrawal, a repeat.
    walk.fresh()
    page = walk.page
    page.goto(f"{base}/scan/{ids['token']}/")
    walk.check("overview of a sent scan")
    walk.go("/scan/resultaat", "result and action plan")
    walk.go("/scan/delen", "share consent")
    walk.click("Stop met delen", role="link")
    walk.check("withdraw a share")
    walk.go("/scan/resultaat", "result again")
    walk.click("Doe de scan opnieuw")
    walk.check("repeat scan")
    for kind in ("weak", "red_flag"):  # a long result with many tips; a red flag
        walk.fresh()
        walk.page.goto(f"{base}/scan/{ids[kind]}/")
        walk.go("/scan/resultaat", f"{kind} result")

    # Staff: login, forgotten password, invitation, second step, confirmation, own security.
    walk.fresh()
    walk.go("/inloggen", "login")
    walk.go("/wachtwoord-vergeten", "forgotten password")
    walk.go(f"/welkom/{ids['invitation']}", "invitation: choose a password")
    walk.go("/welkom/" + "x" * 43, "invitation link gone", status=404)
    walk.login("adviseur@pvo-limburg.nl")
    walk.check("second step")
    walk.page.fill("#code", pyotp.TOTP(ids["app_secret"]).now())
    walk.click("Inloggen met code")
    walk.go("/account/", "own account with an app")
    walk.click("Nieuwe herstelcodes maken")
    walk.check("new recovery codes")

    # An adviser: the list, a shared scan, trends, own account; refused pages.
    walk.login("adviseur@pvo-bz.nl")
    walk.check("adviser list")
    walk.go(f"/adviseur/scans/{ids['share']}", "shared scan")
    walk.go("/adviseur/trends?sector=vastgoed&periode=alles", "trends")
    walk.go("/account/", "own account")
    walk.go("/account/wachtwoord", "change password")
    walk.go("/account/app", "set up the authenticator app")
    walk.go("/inloggen/bevestigen", "confirm it is you")
    walk.go("/adviseur/bezoek", "start a visit")
    walk.page.select_option("#vragenlijst", "vastgoed")
    walk.page.get_by_label("Nu samen invullen, tijdens het bezoek").check()
    walk.click("Start de scan")
    walk.check("visit started")
    walk.click("Scan overdragen aan de ondernemer", role="link")
    walk.check("visit handover")
    walk.click("Blad met de code afdrukken", role="link")
    walk.check("visit handout")
    walk.page.go_back()
    walk.click("Nee, niet delen")
    walk.check("visit ended")
    walk.go("/beheer/audit", "refused page", status=403)
    walk.go("/bestaat-niet", "page not found", status=404)
    walk.go("/scan/vastgoed/afdrukken", "printable questionnaire")
    walk.go("/adviseur/?pagina=99999999999999999999999", "bad input", status=400)

    # A coordinator and an administrator: accounts, one account, the audit log.
    walk.login("coordinator@pvo-bz.nl")
    walk.go("/beheer/accounts", "accounts (coordinator)")
    walk.go(f"/beheer/accounts/{ids['own_account']}", "one account (coordinator)")
    walk.login("beheer@example.nl")
    walk.go("/beheer/accounts", "accounts (administrator)")
    walk.go(f"/beheer/accounts/{ids['foreign_account']}", "one account (administrator)")
    walk.go("/beheer/audit", "audit log")

    # A branch administrator: the studio.
    walk.login("branche@example.nl")
    walk.go("/studio/", "studio list")
    walk.go(f"/studio/{ids['doc']}", "editor")
    walk.go(f"/studio/{ids['doc']}/basis", "base tab")
    walk.go("/studio/handleiding", "author's guide")
    walk.go(f"/studio/{ids['doc']}/voorbeelden", "examples")
    walk.go(f"/studio/{ids['doc']}/wijzigingen", "changes")
    walk.go(f"/studio/{ids['doc']}/publiceren", "publish confirmation")
    walk.go(f"/studio/{ids['doc']}/formulier/vraag", "question form")
    walk.go(f"/studio/{ids['doc']}/eerdere-versies", "earlier saves")
    walk.go(f"/studio/{ids['doc']}/talen", "languages tab")
    walk.go(f"/studio/{ids['doc']}/talen/pl", "translation form")
    # A save from a page that read an older revision: the conflict page with both texts.
    walk.go(f"/studio/{ids['doc']}", "editor")
    walk.page.evaluate("document.querySelector('input[name=revision]').value = '-1'")
    walk.click("Opslaan")
    walk.check("save conflict")
    walk.go(f"/studio/{ids['published']}/intrekken", "retire confirmation")
    walk.go(f"/studio/{ids['doc']}/proef", "trial run")
    page = walk.page
    for _ in range(12):
        if "Resultaat van de proefrit" in page.content():
            break
        answer_visible_questions(page)
        page.locator("button[value=verder]").click()
        page.wait_for_load_state("load")
    walk.check("trial run result")
    page.context.close()

    missing = page_templates() - set(walk.audited)
    found = walk.axe.problems + walk.overflow
    assert not missing and not found, f"never checked: {sorted(missing)}\n" + "\n".join(found)
