"""Error pages for staff: the portal's layout and footer, and the way back to their start page.

Before, a refused studio page (403), a missing adviser page (404) or a studio conflict showed the
entrepreneur's page: the "Snel weg" bar, the emergency line, and only a link to the public
landing page, with no menu and no way to log out.
"""

from __future__ import annotations

import pytest
from portal_factories import login, make_portal

FOOTER_LINKS = ('href="/veilig-gebruiken"', 'href="/privacy"', 'href="/toegankelijkheid"')


@pytest.fixture
def portal(app):
    with app.app_context():
        make_portal()


def staff_page(page: str) -> None:
    assert 'class="portal-page"' in page
    assert "data-quick-exit" not in page  # staff pages have no "Snel weg" bar
    assert "In gevaar? Bel" not in page
    for link in FOOTER_LINKS:
        assert link in page


@pytest.mark.parametrize(
    "email, path, status, home",
    [
        ("adviseur@pvo-bz.nl", "/studio/", 403, "/adviseur/"),
        ("adviseur@pvo-bz.nl", "/adviseur/scans/bestaat-niet", 404, "/adviseur/"),
        ("adviseur@pvo-bz.nl", "/adviseur/geen-pagina", 404, "/adviseur/"),
        ("branche@example.nl", "/adviseur/", 403, "/adviseur/trends"),
        ("beheer@example.nl", "/studio/geen-document/bewerken", 404, "/beheer/audit"),
    ],
)
def test_staff_error_page__portal_layout_footer_and_way_home(
    client, portal, email, path, status, home
):
    login(client, email)
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    staff_page(page)
    assert "Uitloggen" in page  # the menu with the way out
    assert f'href="{home}">Naar uw startpagina</a>' in page
    assert f"Foutcode {status}" in page


def test_staff_error_page__logged_out__way_back_is_the_login(client, portal):
    response = client.get("/studio/geen-pagina/nergens")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    staff_page(page)
    assert 'href="/inloggen">Naar inloggen</a>' in page
    assert "Uitloggen" not in page


def test_entrepreneur_error_page__unchanged(client, portal):
    page = client.get("/scan/geen-pagina").get_data(as_text=True)
    assert "data-quick-exit" in page
    assert "In gevaar? Bel" in page
    assert "portal-page" not in page
