"""A share's case record kept in line with the share: its copies, its search terms, its end.

The entrepreneur's side (scan/scans/sharing.py) makes the case with the share and deletes it
on withdrawal; the advisers' side (scan/portal/caseload.py) finds, orders and changes cases.
Both use these functions, so they live in the lower room.
"""

from __future__ import annotations

import re

from scan.platform.caseload_models import (
    TRIAGE_NEW,
    TRIAGE_RED,
    TRIAGE_RED_NEW,
    TRIAGE_REST,
    ShareCase,
    ShareSearchTerm,
)
from scan.platform.models import Share

_IGNORED = re.compile(r"[\s\-\u2010-\u2015.()/]+")


def normalise(text: str | None) -> str:
    """Return text as search compares it: lower case, without spaces, hyphens, dots, brackets."""
    return _IGNORED.sub("", (text or "").casefold())


def _phone_forms(phone: str | None) -> list[str]:
    """Return a phone number as typed, in its national form (+31 6... is also 06...) and without
    the leading 0 (a caller may leave it off)."""
    plain = normalise(phone)
    for prefix in ("+31", "0031"):
        if plain.startswith(prefix):
            plain = "0" + plain.removeprefix(prefix)
    forms = {normalise(phone), plain, plain.removeprefix("0")}
    return [f for f in forms if f]


def _word_starts(text: str | None) -> list[str]:
    """Return the text normalised from each of its words on: "De Vries BV" is found by "vries"."""
    words = [w for w in re.split(r"[\s\-\u2010-\u2015/@]+", text or "") if w]
    return [normalise("".join(words[i:])) for i in range(len(words))]


def search_terms(
    public_id: str,
    token_hash: str,
    name: str | None,
    company: str | None,
    phone: str | None,
    email: str | None,
) -> set[str]:
    """Return the terms a share is found by (the migration fills them so too).

    The references are the share's (`Share.reference`, on the share confirmation and the
    adviser's PDF) and the scan's (`store.report_reference`, on the entrepreneur's own PDF);
    then the shared contact details, each from every word on, and the phone in its forms.
    """
    terms = {public_id[:8].lower(), token_hash[:8].lower(), normalise(email)}
    terms.update(*(_word_starts(t) for t in (name, company, email)), _phone_forms(phone))
    return {t[:254] for t in terms if t}


def _terms_of(share: Share) -> set[str]:
    contact = (share.contact_name, share.contact_company, share.contact_phone, share.contact_email)
    return search_terms(share.public_id, share.scan.token_hash, *contact)


def triage(red_flag: bool, status: str) -> int:
    """Return the case's place in the default order: red flags first, then new scans."""
    if red_flag:
        return TRIAGE_RED_NEW if status == "nieuw" else TRIAGE_RED
    return TRIAGE_NEW if status == "nieuw" else TRIAGE_REST


def refresh(share: Share) -> ShareCase:
    """Bring the case's copies (organisation, order, figures, search terms) in line."""
    case = share.case or ShareCase()
    share.case = case
    scan = share.scan
    case.organisation_id, case.shared_at = share.organisation_id, share.created_at
    case.status, case.triage = share.status, triage(bool(scan.red_flag), share.status)
    case.sector, case.risk_level, case.overall = (
        scan.questionnaire_id,
        scan.risk_level,
        scan.overall,
    )
    terms, kept = _terms_of(share), {t.term: t for t in case.terms}
    for gone in kept.keys() - terms:
        case.terms.remove(kept[gone])
    for term in sorted(terms - kept.keys()):
        case.terms.append(ShareSearchTerm(term=term, organisation_id=share.organisation_id))
    return case


def forget(share: Share) -> None:
    """Delete a withdrawn share's case: no search terms, assignment or plans remain."""
    share.case = None
