"""Every href a template builds from data goes through |safe_href, |tel_href or |mailto_href.

A phone number or e-mail address an entrepreneur typed, or an address an author wrote, must
never reach an href as it is (`tel:{{ phone }}`, `mailto:{{ email }}`, `{{ url }}`): the
filters (scan/questionnaire/links.py) give no link for anything unsafe. An href that starts
with `{{` is allowed only through a filter, `url_for`, or an address the app itself makes,
listed below with where it comes from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from portal_factories import login, make_portal, share_scan, submitted_scan

from scan.platform.extensions import db
from scan.questionnaire.links import mailto_href

SCAN = Path(__file__).resolve().parents[2] / "scan"
FILTERED = re.compile(r"\|\s*(safe_href|tel_href|mailto_href)\s*$")
HREF = re.compile(r"""\bhref=(["'])(.*?)\1""", re.S)
TRANS_HREF = re.compile(r"{%-?\s*trans\b[^%]*?\bhref=([^,%]+?)\s*[,%]")
EXPRESSION = re.compile(r"^{{-?\s*(.*?)\s*-?}}")

# Addresses the app makes itself (url_for or external_url in a view, or a filter in Python).
APP_MADE = {
    "back",  # errors._way_back: a path of this app, never from elsewhere
    "operator.contact_href",  # filters._operator: mailto_href or safe_href
    "href",  # the {% trans href=... %} binding, checked on its own below
    "link.href",  # languages: url_for of this page with ?taal=
    "url",  # public views: url_for
    "back_url",  # link_views: url_for
    "call.dial",  # presentation.week_steps: made with tel_href
    "previous_url",  # scan views: url_for
    "next_url",  # scan views: url_for
    "change_url",  # scans/review.html: url_for of the theme page, once per theme
    "editor_url",  # studio views: url_for
    "branch_url",  # studio index: url_for
    "link",  # the mails: external_url from PUBLIC_BASE_URL
    "login",  # the mails: external_url from PUBLIC_BASE_URL
    "home",  # portal/error_pages: url_for of the account's start page or the login
}


def templates() -> list[Path]:
    return sorted(SCAN.rglob("templates/**/*.html"))


def unsafe_hrefs(text: str) -> list[str]:
    """Return the hrefs in a template that put data in a link without a filter."""
    found = []
    for _, value in HREF.findall(text):
        lowered = value.strip().lower()
        if lowered.startswith(("tel:", "mailto:")) and "{" in value:
            found.append(value)  # data glued to a scheme: never checked
            continue
        expression = EXPRESSION.match(value.strip())
        if expression is None:
            continue
        inner = expression.group(1)
        if inner.startswith("url_for(") or FILTERED.search(inner) or inner in APP_MADE:
            continue
        found.append(value)
    for bound in TRANS_HREF.findall(text):
        if bound.strip() != "operator.contact_href" and not FILTERED.search(bound.strip()):
            found.append(f"trans href={bound}")
    return found


def test_the_check_finds_what_it_should():
    assert unsafe_hrefs("<a href=\"tel:{{ share.contact_phone|replace(' ', '') }}\">") != []
    assert unsafe_hrefs('<a href="mailto:{{ share.contact_email }}">') != []
    assert unsafe_hrefs('<a href="{{ ref.url }}">') != []
    assert unsafe_hrefs('{% trans href=ref.url %}<a href="{{ href }}">{% endtrans %}') != []
    assert unsafe_hrefs('<a href="{{ ref.url|safe_href }}">') == []
    assert unsafe_hrefs('<a href="{{ share.contact_phone|tel_href }}">') == []
    assert unsafe_hrefs("<a href=\"{{ url_for('public.index') }}\">") == []
    assert unsafe_hrefs('<a href="tel:08007000">') == []


def test_no_template_puts_data_in_an_href_without_a_filter():
    offenders = {
        str(path.relative_to(SCAN)): unsafe
        for path in templates()
        if (unsafe := unsafe_hrefs(path.read_text(encoding="utf-8")))
    }
    assert templates(), "no templates found"
    assert offenders == {}


@pytest.mark.parametrize(
    "address, href",
    [
        ("jan@example.nl", "mailto:jan@example.nl"),
        ("j.de-vries+scan@bakkerij.example.com", "mailto:j.de-vries+scan@bakkerij.example.com"),
        ("jan@example.nl?subject=x", None),
        ("jan@example.nl\nBcc: x@y.nl", None),
        ('jan"@example.nl', None),
        ("javascript:alert(1)//@example.nl", None),
        ("geen adres", None),
        (None, None),
    ],
)
def test_mailto_href_only_for_a_plain_address(address, href):
    assert mailto_href(address) == href


def test_adviser_sees_contact_links_made_by_the_filters(app, client):
    with app.app_context():
        portal = make_portal()
        scan, _ = submitted_scan()
        share = share_scan(
            scan, portal.org_a, name="Jan", phone="+31 6 1234-5678", email="jan@example.nl"
        )
        odd_scan, _ = submitted_scan()
        odd = share_scan(odd_scan, portal.org_a, name="Piet", phone="06 12 34 (privé)")
        db.session.commit()
        ids = share.public_id, odd.public_id
    login(client, "adviseur@pvo-bz.nl")
    page = client.get(f"/adviseur/scans/{ids[0]}").get_data(as_text=True)
    assert 'href="tel:+31612345678"' in page
    assert 'href="mailto:jan@example.nl"' in page
    odd_page = client.get(f"/adviseur/scans/{ids[1]}").get_data(as_text=True)
    assert "06 12 34 (privé)" in odd_page
    assert 'href="tel:' not in odd_page.split('id="contact"')[1].split("</section>")[0]
