"""Defence in depth for links (issue 22): a stored questionnaire whose referral slipped past the
checks (a javascript: address, a phone number that is a script) is shown on the result page
and in the PDF without any unsafe href: the pages and the PDF make links only through
scan.questionnaire.links (safe_href, tel_href)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from scan.questionnaire.model import Referral
from scan.report import render_pdf
from scan.scoring import score

UNSAFE_URL = "javascript:alert(document.cookie)"
UNSAFE_PHONE = "javascript:alert(2)"
HREF = re.compile(r'href="([^"]*)"')


def _tampered(catalog):
    """Return the vastgoed scan and a weak result whose every referral holds unsafe links,
    built as a stored document that slipped past the checks would be (no validation)."""
    q = catalog.get("vastgoed")
    example = min(q.examples, key=lambda e: score(q, e.answers).overall or 0)
    result = score(q, example.answers)
    bad = {
        rid: Referral.model_construct(
            **(ref.model_dump() | {"url": UNSAFE_URL, "phone": UNSAFE_PHONE})
        )
        for rid, ref in q.registry.items()
    }
    tampered = q.model_copy()
    tampered.__pydantic_private__ = dict(q.__pydantic_private__) | {"_registry": bad}
    referrals = tuple(bad[r.id] for r in result.referrals)
    return tampered, dataclasses.replace(result, referrals=referrals), example.answers


def test_result_page__referrals_with_unsafe_links__no_unsafe_href(app, catalog):
    from flask import render_template

    from scan.scans.result_page import result_context

    q, result, _ = _tampered(catalog)
    with app.test_request_context("/scan/resultaat"):
        html = render_template("scans/_result_body.html", **result_context(q, result))
    assert "Meld Misdaad Anoniem" in html  # the referrals are on the page, as text
    hrefs = HREF.findall(html)
    assert not [h for h in hrefs if "javascript" in h.lower()], hrefs


def test_pdf__referrals_with_unsafe_links__no_unsafe_link(catalog):
    q, result, answers = _tampered(catalog)
    pdf = render_pdf(result, q, reference="ab12cd34", answers=answers, date=dt.date(2026, 12, 1))
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", []) or []
    ]
    assert uris  # the PDF still links the safe addresses it has (Meld Misdaad Anoniem's site)
    assert not [u for u in uris if not u.startswith("https://")], uris


@pytest.mark.parametrize("url", [UNSAFE_URL, "data:text/html,x", "//evil.nl", "http://a.nl"])
def test_pdf_link_markup__unsafe_address__text_not_link(url):
    from scan.report.sections.blocks import link_markup

    assert "<a " not in link_markup(url)
