"""Which links an author may write, and the one check the renderers repeat before any href.

A web address (a referral's `url`) is `https://` with a host, in printable ASCII, without
quotes or angle brackets. A phone number holds digits, spaces and hyphens (a `+` in front):
the renderers make the `tel:` link from it, so an author never writes `tel:` or `mailto:`.
Free texts (help, descriptions, advice steps, a referral's `when`, `contact` and `source`) are
never rendered as links, but a text that holds an address of any other scheme (`javascript:`,
`vbscript:`, `data:`, `http://`, `//host`, `tel:`, `mailto:`) is refused all the same: a PDF
viewer or a mail client may make it clickable. The text check looks through the usual tricks:
mixed case, HTML entities (`&#106;avascript&colon;`), and tabs, line breaks, control and
invisible characters inside the scheme.

`safe_href`, `tel_href` and `mailto_href` are what the web pages and the PDF put in an href: a
stored document (or a contact detail) that slipped past the checks never renders an unsafe link.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_URL_LENGTH = 300
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HTTPS_URL = re.compile(
    rf"^https://{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}(?::\d{{1,5}})?(?:[/?#][^\"'<>\\`]*)?$"
)
_PHONE = re.compile(r"^\+?[0-9](?:[0-9 -]{0,18}[0-9])?$")
# An e-mail address fit for mailto:: no spaces, quotes, angle brackets, colons or slashes.
_EMAIL = re.compile(r"[^@\s:/<>\"'&?#%]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
# Schemes that run or carry content, refused wherever they stand in a text.
_ACTIVE = re.compile(r"(?<![a-z0-9+.-])(javascript|vbscript|livescript|jscript)\s*:")
# data: carrying content (a media type or a comma), not the Dutch word before a colon.
_DATA = re.compile(r"(?<![a-z0-9+.-])(data|blob|filesystem)\s*:\s*(?:[a-z-]+/|,|;|//)")
# Any address with a scheme and // other than https, and tel:/mailto:/sms: links (a link has
# no space after the colon: "Tel: 030-1234567" is ordinary text).
_OTHER = re.compile(
    r"(?<![a-z0-9+.-])((?!https://)[a-z][a-z0-9+.-]*://|(?:tel|mailto|sms|callto):(?=\S))"
)
# An address without a scheme that browsers read as one: //host.tld
_RELATIVE = re.compile(r"(?<![a-z0-9:/])//[a-z0-9-]+(?:\.[a-z0-9-]+)+")

URL_HINT = (
    "schrijf een volledig webadres dat begint met https://, bijvoorbeeld https://www.politie.nl"
)
PHONE_HINT = (
    "schrijf alleen het nummer, bijvoorbeeld 0800-7000; de scan maakt er zelf een belknop van"
)
TEXT_HINT = (
    "haal de link uit de tekst; een webadres zet u als https://... bij 'url' van een "
    "verwijzing, een telefoonnummer bij 'phone'"
)


def url_problem(value: str) -> str | None:
    """Return why a web address is refused, in Dutch, or None when it is a safe https link."""
    if not isinstance(value, str) or not value:
        return "Het webadres is leeg."
    if len(value) > MAX_URL_LENGTH:
        return f"Het webadres is langer dan {MAX_URL_LENGTH} tekens."
    if any(not "!" <= ch <= "~" for ch in value):
        return (
            "Het webadres bevat een spatie, een onzichtbaar teken of een teken buiten het "
            "gewone alfabet."
        )
    if not value.startswith("https://"):
        scheme = _SCHEME.match(value)
        if scheme:
            return f"Het webadres begint met '{scheme.group(1)}:'. Alleen https:// is toegestaan."
        return "Het webadres begint niet met https://."
    if not _HTTPS_URL.match(value):
        return (
            "Het webadres heeft na https:// geen gewone naam van een website, of bevat een "
            "aanhalingsteken, < of > of \\."
        )
    return None


def phone_problem(value: str) -> str | None:
    """Return why a phone number is refused, in Dutch, or None when it is a plain number."""
    if isinstance(value, str) and _PHONE.match(value):
        return None
    return (
        "Een telefoonnummer bestaat alleen uit cijfers, spaties en streepjes, met eventueel "
        "een + aan het begin."
    )


def unmasked(text: str) -> str:
    """Return text as a browser would read a scheme in it: entities decoded, hidden characters
    (tabs, line breaks, control and format characters) removed, lower case."""
    for _ in range(3):  # &amp;#106; decodes in two rounds
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    kept = (
        ch
        for ch in text
        if ch not in "\t\n\r" and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")
    )
    return "".join(kept).casefold()


def text_link_problem(text: str) -> str | None:
    """Return why a free text is refused for the link it holds, in Dutch, or None."""
    plain = unmasked(text)
    found = _ACTIVE.search(plain) or _DATA.search(plain)
    if found:
        return f"De tekst bevat een link die iets uitvoert ('{found.group(1)}:'). Dat mag nergens."
    found = _OTHER.search(plain)
    if found:
        return (
            f"De tekst bevat een link die begint met '{found.group(1)}'. In een tekst mag "
            "alleen een webadres dat begint met https://."
        )
    found = _RELATIVE.search(plain)
    if found:
        return f"De tekst bevat een webadres zonder https:// ('{found.group(0)}')."
    return None


def safe_href(value: object) -> str | None:
    """Return a web address fit for an href, or None: the renderers' last check."""
    if isinstance(value, str) and url_problem(value) is None:
        return value
    return None


def tel_href(phone: object) -> str | None:
    """Return the tel: link for a phone number, or None when it is not a plain number."""
    if isinstance(phone, str) and phone_problem(phone) is None:
        return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return None


def mailto_href(address: object) -> str | None:
    """Return the mailto: link for a plain e-mail address, or None for anything else."""
    if isinstance(address, str) and len(address) <= 254 and _EMAIL.fullmatch(address):
        return "mailto:" + address
    return None
