"""The interface's languages: Dutch by default, a choice on every page, a functional cookie."""

from __future__ import annotations

import re

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from scan.platform import languages

LANG = re.compile(r'<html lang="([a-z]+)"')


def _lang(response) -> str:
    return LANG.search(response.get_data(as_text=True)).group(1)


def _cookie(response) -> str | None:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("taal=")]
    return found[0] if found else None


def test_default__dutch_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.8"})
    assert _lang(response) == "nl"
    assert "Hoe weerbaar is uw bedrijf tegen criminelen?" in response.get_data(as_text=True)
    assert _cookie(response) is None  # no choice, no cookie


def test_choice__every_language_by_its_own_name_with_lang_and_hreflang(client):
    html = client.get("/privacy").get_data(as_text=True)
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group()
    assert '<span lang="nl" aria-current="true">Nederlands</span>' in nav
    for code, name in (("en", "English"), ("pl", "Polski")):
        assert f'href="/privacy?taal={code}" lang="{code}" hreflang="{code}"' in nav
        assert f">{name}</a>" in nav


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        ("en", "How well is your business protected against criminals?"),
        ("pl", "Jak dobrze Twoja firma jest chroniona przed przestępcami?"),
    ],
)
def test_choice__page_in_that_language_and_remembered_in_a_functional_cookie(client, code, heading):
    chosen = client.get(f"/?taal={code}")
    assert _lang(chosen) == code and heading in chosen.get_data(as_text=True)
    cookie = _cookie(chosen)
    assert cookie.startswith(f"taal={code};")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    later = client.get("/veilig-gebruiken")  # the cookie goes along: still that language
    assert _lang(later) == code


def test_choosing_dutch__deletes_the_cookie(client):
    client.get("/?taal=en")
    back = client.get("/?taal=nl")
    assert _lang(back) == "nl" and "Max-Age=0" in _cookie(back)
    assert _lang(client.get("/")) == "nl"


def test_quick_exit__deletes_the_language_cookie_too(client):
    client.get("/?taal=pl")
    leaving = client.get("/weg")
    assert leaving.status_code == 303 and "Max-Age=0" in _cookie(leaving)
    assert _lang(client.get("/")) == "nl"


def test_unknown_language__ignored(client):
    response = client.get("/?taal=de")
    assert _lang(response) == "nl" and _cookie(response) is None


def test_error_pages__in_the_chosen_language(client):
    client.get("/?taal=en")
    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404 and _lang(missing) == "en"
    assert "Page not found" in missing.get_data(as_text=True)
    assert "Error code 404" in missing.get_data(as_text=True)
    client.get("/?taal=pl")
    assert "Nie znaleziono strony" in client.get("/bestaat-niet").get_data(as_text=True)


def test_staff_rooms__stay_dutch_and_offer_no_choice(client):
    client.get("/?taal=en")
    login = client.get("/inloggen")
    assert _lang(login) == "nl" and 'class="languages"' not in login.get_data(as_text=True)


def test_privacy__says_what_the_language_cookie_holds_in_every_language(client):
    dutch = client.get("/privacy").get_data(as_text=True)
    assert "een tweede cookie,\n    ‘taal’" in dutch or "een tweede cookie, ‘taal’" in dutch
    assert "De adviseurs lezen uw scan in het Nederlands" in dutch
    english = client.get("/privacy?taal=en").get_data(as_text=True)
    assert "a second cookie, ‘taal’ (language), remembers only that choice" in english
    polish = client.get("/privacy?taal=pl").get_data(as_text=True)
    assert "drugi plik cookie, ‘taal’ (język), zapamiętuje tylko ten wybór" in polish


def test_wtforms_messages__dutch_by_default_and_follow_the_language(app):
    class Form(FlaskForm):
        name = StringField(validators=[DataRequired(), Length(max=2)])

    cases = [("/", {"name": ""}, "Dit veld is vereist."), ("/?taal=en", {"name": "abc"}, "")]
    cases.append(("/?taal=pl", {"name": "abc"}, "Wartość w polu nie może mieć więcej niż 2 znaki."))
    for url, data, expected in cases:
        with app.test_request_context(url):
            form = Form(data=data, meta={"csrf": False})
            assert not form.validate()
            message = form.errors["name"][0]
            if expected:
                assert message == expected
            else:
                assert message == "Field cannot be longer than 2 characters."


def test_select_locale__a_scan_page_language_wins_over_the_cookie(app):
    with app.test_request_context("/", headers={"Cookie": "taal=en"}):
        assert languages.select_locale() == "en"
        languages.use_language("pl")
        assert languages.current_language() == "pl"


def _post_only_paths(app) -> list[str]:
    """Addresses of every route a link cannot open (POST only), with sample values filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) or rule.endpoint == "static":
            continue
        values = {name: ("1" if "id" not in name else "x") for name in rule.arguments}
        for name, converter in rule._converters.items():
            if type(converter).__name__ == "IntegerConverter":
                values[name] = 1
        paths.append(rule.build(values, append_unknown=False)[1])
    return paths


def test_language_links__on_a_page_answered_to_a_form_open_a_page_again(app, client):
    """A page shown on a POST (say the personal link) offers language links a link can open:
    never its own POST-only address, which a GET answers with 405 (or, like /scan/mijn-link,
    with another route's 404)."""
    paths = _post_only_paths(app)
    assert "/scan/mijn-link" in paths
    for path in paths:
        with app.test_request_context(path, method="POST"):
            links = languages._switcher().get("language_links", [])
        for link in links:
            assert client.get(link["href"]).status_code not in (404, 405), (path, link)


def test_template_texts__formatted_only_where_formatting_changes_them(app):
    # _() skips the % formatting of a text without variables and without "%": the same result.
    from flask import render_template_string

    with app.test_request_context("/"):
        page = render_template_string(
            '{{ _("Bezig met opslaan…") }}|{{ _("100%% zeker") }}|'
            '{{ _("Stap %(step)s", step="<b>") }}'
        )
    assert page == "Bezig met opslaan…|100% zeker|Stap &lt;b&gt;"
