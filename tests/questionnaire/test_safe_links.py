"""Only safe links (issue 22): a referral's web address is https with a host; javascript:,
data: and plain http: addresses are refused where the registry is read, and so is any link
other than https inside a text, however it is disguised (fuzzed at the end)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loader_samples import QUESTIONNAIRES, REGISTRY

from scan.questionnaire import QuestionnaireError, load_catalog


def _catalog_with_url(tmp_path, url: str):
    folder = tmp_path / "q"
    folder.mkdir()
    text = REGISTRY.read_text()
    first = re.search(r"^(\s+url:) .*$", text, re.M)
    (folder / "referrals.yaml").write_text(
        text[: first.start()] + f"{first.group(1)} '{url}'" + text[first.end() :]
    )
    (folder / "vastgoed.yaml").write_text((QUESTIONNAIRES / "vastgoed.yaml").read_text())
    return load_catalog(folder)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://www.example.nl",
        "https://",
        "https://evil.example.nl\\@x",
        'https://www.example.nl/"onmouseover="x',
        "//www.example.nl",
    ],
)
def test_referral_url__not_https__refused_with_its_place(tmp_path, url):
    with pytest.raises(QuestionnaireError) as refused:
        _catalog_with_url(tmp_path, url)
    assert any("url" in str(p) for p in refused.value.problems)


@pytest.mark.parametrize("url", ["https://www.meldmisdaadanoniem.nl", "https://a.nl/pad?x=1#b"])
def test_referral_url__https__accepted(tmp_path, url):
    assert _catalog_with_url(tmp_path, url).latest


# Every link an author can write (issue 22, the gaps): a referral's url and phone, in the
# shared registry and in a branch overlay's own referrals, and any link inside a free text
# (help, descriptions, advice steps, a referral's when, contact and source). Unsafe ones are
# refused with a Dutch message at their line; the pages and the PDF never make an href of one.

TRICKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "java\u200bscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&colon;alert(1)",
    "&amp;#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:text/html,<b>x</b>",
    "http://www.example.nl",
    "HTTP://www.example.nl",
    "ftp://www.example.nl",
    "//www.example.nl/pad",
    "tel:08007000",
    "mailto:iemand@example.nl",
    "MailTo:iemand@example.nl",
]
URL_TRICKS = [
    *TRICKS,
    "https://www.example.nl/\x00",
    "https://www.example.nl/\x7f",
    "https://www.example.nl/a\u2028b",
    "https://www.example.nl/a b",
    "https:/www.example.nl",
    "https:www.example.nl",
    "HTTPS://www.example.nl",
    "&#104;ttps://www.example.nl",
    "https://www.example.nl/`onload",
    "https://good.nl@evil.nl",
]

OWN = """\
new_referrals:
  - id: recron_vertrouwenspersoon
    name: Vertrouwenspersoon Recron
    phone: 030-1234567
    url: https://www.recron.nl
    contact: Vraag het aan uw parkbeheerder.
    when: U wilt in vertrouwen praten over iets wat u zag op uw park.
    source: recron.nl/leden
    verified_on: 2026-11-30
"""


def _overlay(field: str, value: str) -> str:
    from studio_samples import OVERLAY

    quoted = json.dumps(value)  # a JSON string is a YAML double-quoted scalar
    text = OVERLAY.replace("add:\n", "add:\n  referrals: [recron_vertrouwenspersoon]\n") + OWN
    old = {
        "help": "help: Met een lijst van sleutels ziet u snel wie binnen kan komen.",
        "step": "steps: [Maak deze week een lijst van alle sleutels.]",
        "url": "url: https://www.recron.nl",
        "phone": "phone: 030-1234567",
        "contact": "contact: Vraag het aan uw parkbeheerder.",
        "source": "source: recron.nl/leden",
    }[field]
    key = old.split(":")[0]
    new = f"steps: [{quoted}]" if field == "step" else f"{key}: {quoted}"
    return text.replace(old, new)


def _problems(write_questionnaire, text: str) -> list:
    from conftest import QUESTIONNAIRES

    from scan.questionnaire import load_questionnaire

    write_questionnaire((QUESTIONNAIRES / "voorbeeld.yaml").read_text(), "voorbeeld.yaml")
    path = write_questionnaire(text, "voorbeeld_recron.yaml")
    with pytest.raises(QuestionnaireError) as refused:
        load_questionnaire(path, path.parent)
    return refused.value.problems


LINES = {"help": 12, "step": 23, "phone": 27, "url": 28, "contact": 29, "source": 31}


@pytest.mark.parametrize("field", ["url", "help", "step", "contact", "source"])
@pytest.mark.parametrize("trick", TRICKS)
def test_link_trick__anywhere_in_a_branch_text__refused_in_dutch_at_its_line(
    write_questionnaire, field, trick
):
    value = trick if field == "url" else f"Kijk op {trick} voor meer."
    problems = _problems(write_questionnaire, _overlay(field, value))
    ours = [p for p in problems if p.position.line == LINES[field]]
    assert ours, [str(p) for p in problems]
    assert any(word in ours[0].message for word in ("webadres", "link")), ours[0].message
    assert "https://" in ours[0].hint


@pytest.mark.parametrize("trick", URL_TRICKS)
def test_url_trick__refused_by_the_url_check_and_never_an_href(trick):
    from scan.questionnaire.links import safe_href, url_problem

    assert url_problem(trick) is not None
    assert safe_href(trick) is None


@pytest.mark.parametrize("phone", ["javascript:alert(1)", "tel:0800-7000", "0800-7000<b>", "bel"])
def test_phone__not_a_plain_number__refused_in_dutch_at_its_line(write_questionnaire, phone):
    problems = _problems(write_questionnaire, _overlay("phone", phone))
    assert [
        p for p in problems if "telefoonnummer" in p.message and p.position.line == LINES["phone"]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Noteer de data: wanneer kwam de huurder?",
        "Let op: kijk op https://www.politie.nl/themas voor meer.",
        "Gebruik en/of bewaar het contract.",
        "Criminelen gebruiken een dekmantel: een gewoon verhaal.",
        "Bel 0800-7000 of kijk op www.meldmisdaadanoniem.nl.",
        "Tel: 030-1234567. E-mail: info@example.nl.",
    ],
)
def test_ordinary_dutch_text__not_taken_for_a_link(text):
    from scan.questionnaire.links import text_link_problem

    assert text_link_problem(text) is None


# Fuzz: a dangerous link disguised at random (case, hidden characters, entities) is still
# found, and nothing at all ever comes out of safe_href or tel_href unsafe.

DANGEROUS = [
    "javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>x</script>",
    "http://evil.nl",
    "ftp://evil.nl",
    "//evil.nl/x",
    "tel:0612345678",
    "mailto:a@evil.nl",
]
HIDDEN = ["\t", "\n", "\r", "\x00", "\x01", "\x1f", "\x7f", "\u200b", "\u00ad", "\ufeff", "\u2028"]


@st.composite
def disguised(draw) -> str:
    link = draw(st.sampled_from(DANGEROUS))
    scheme_end = link.index(":") + 1 if not link.startswith("//") else 2
    out = []
    for i, ch in enumerate(link):
        if i < scheme_end + 2:  # the scheme and what follows it: where the tricks matter
            if draw(st.booleans()):
                ch = ch.upper()
            way = draw(st.sampled_from(["plain", "plain", "decimal", "hex", "named", "hide"]))
            if way == "decimal":
                ch = f"&#{ord(ch)};"
            elif way == "hex":
                ch = f"&#x{ord(ch):X};"
            elif way == "named" and ch == ":":
                ch = "&colon;"
            elif way == "hide" and 0 < i < scheme_end:
                ch = draw(st.sampled_from(HIDDEN)) + ch
        out.append(ch)
    before = draw(st.sampled_from(["", "Kijk op ", "Meer: ", "(zie ", "Bel. "]))
    return before + "".join(out) + draw(st.sampled_from(["", " voor meer.", ")"]))


@settings(max_examples=600, deadline=None)
@given(disguised())
def test_fuzz__disguised_link__found_in_a_text_and_refused_as_an_address(text):
    from scan.questionnaire.links import safe_href, text_link_problem, url_problem

    assert text_link_problem(text) is not None, repr(text)
    assert url_problem(text) is not None
    assert safe_href(text) is None


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), st.from_regex(r"https://[a-z.]{1,12}[/?#]?.{0,20}", fullmatch=True)))
def test_fuzz__any_value__href_is_https_printable_and_quote_free_or_nothing(value):
    from scan.questionnaire.links import safe_href, tel_href

    href = safe_href(value)
    if href is not None:
        assert href.startswith("https://")
        assert all("!" <= ch <= "~" for ch in href)
        assert not set(href) & set("\"'<>\\`")
    dial = tel_href(value)
    assert dial is None or re.fullmatch(r"tel:\+?[0-9]+", dial)


@settings(max_examples=40, deadline=None)
@given(disguised(), st.sampled_from(["help", "step", "contact", "source", "url"]))
def test_fuzz__disguised_link_in_a_branch_document__refused_at_its_line(
    tmp_path_factory, text, field
):
    folder = tmp_path_factory.mktemp("q")
    (folder / "referrals.yaml").write_text(REGISTRY.read_text())

    def write(content: str, name: str):
        path = folder / name
        path.write_text(content)
        return path

    problems = _problems(write, _overlay(field, text))
    assert [p for p in problems if p.position.line == LINES[field]], [str(p) for p in problems]
