"""Which language a page speaks: Dutch unless the visitor chose another, or the scan has one.

Dutch is the source language and the default, always: never the browser's Accept-Language,
so a Dutch page never surprises. A visitor chooses with the links on every page
(`?taal=en`). The choice is remembered in one strictly functional preference cookie,
`taal` (no consent needed, so no cookie banner): only the language code, HttpOnly,
SameSite=Lax, Secure in production, kept for a year. Choosing Nederlands deletes it, so a
visitor who keeps to Dutch never gets it. The privacy page says exactly this.

A scan has a language of its own (`Scan.language`): its pages, its personal link and its PDF
keep it. The scan pages call `use_language` with it after loading the scan, which overrides
the cookie for that request; a choice on a scan page changes the scan's language (the scans
room stores it, `scan/scans/tokens.py`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, url_for
from flask_babel import Babel, get_translations, refresh
from flask_babel import get_locale as babel_locale
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

DEFAULT = "nl"
# Each language by its own name, as the links show it.
LANGUAGES = {"nl": "Nederlands", "en": "English", "pl": "Polski"}
# Each language by its Dutch name, for the advisers' pages ("ingevuld in het Pools").
DUTCH_NAMES = {"nl": "Nederlands", "en": "Engels", "pl": "Pools"}
COOKIE = "taal"
PARAMETER = "taal"
COOKIE_SECONDS = 365 * 24 * 3600
# The staff's rooms stay Dutch and show no choice: advisers read every scan in Dutch, and the
# studio and portal pages are not translated yet (a page half in English helps no one).
DUTCH_ONLY = frozenset(
    {"advisers", "accounts", "auth", "invitations", "twofactor", "security", "studio"}
)
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"  # scan/translations

babel = Babel()


def register(app: Flask) -> None:
    """Bind Flask-Babel with our catalogs and locale rule; remember a choice in the cookie."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_translation_directories=str(TRANSLATIONS),
    )
    # The templates' _() and ngettext() look the request's catalog up once per request:
    # Flask-Babel's own look it up on every call (most of a page's rendering time).
    install = app.jinja_env.install_gettext_callables  # type: ignore[attr-defined]  # jinja2.ext.i18n
    install(_page_gettext, _page_ngettext, newstyle=True)
    # _() and {% trans %} in one call: jinja's own go through three (the alias, the newstyle
    # wrapper, the callable), each with its context lookups; the result is the same.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.after_request(_remember_choice)
    app.context_processor(_switcher)
    app.add_template_filter(lambda code: DUTCH_NAMES.get(code, code), "taalnaam")


def chosen_language() -> str | None:
    """Return the language chosen with a link on this request (`?taal=`), or None."""
    code = request.args.get(PARAMETER)
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """Return the language of this request: the scan's, else the choice, else the cookie's."""
    page = g.get("page_language")
    if page in LANGUAGES:
        return page
    if request.blueprint in DUTCH_ONLY:
        return DEFAULT
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT


def use_language(code: str) -> None:
    """Speak this language on the current page (a scan's own), whatever the cookie says."""
    g.page_language = code if code in LANGUAGES else DEFAULT
    g.pop("page_translations", None)
    refresh()  # Flask-Babel keeps the locale per request once asked: ask again


def _page_translations():
    found = g.get("page_translations")
    if found is None:
        found = g.page_translations = get_translations()
    return found


def _page_gettext(text: str, **variables) -> str:
    translated = _page_translations().ugettext(text)
    return translated % variables if variables else translated


@pass_context
def _template_gettext(context, text: str, **variables) -> str:
    """Translate a template's text as jinja's newstyle gettext does: escaped, then formatted."""
    translated = _page_translations().ugettext(text)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    if not variables and "%" not in translated:
        return translated  # what formatting would give, without its cost (most texts)
    return translated % variables


def _page_ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _page_translations().ungettext(singular, plural, num) % variables


def current_language() -> str:
    """Return the code of the language this request speaks."""
    return str(babel_locale() or DEFAULT)


def _remember_choice(response):
    """Keep a language chosen on this request in the preference cookie (Dutch: delete it)."""
    chosen = chosen_language()
    if chosen is None:
        return response
    if chosen == DEFAULT:
        forget_choice(response)
    else:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", True),
        )
    return response


def links_to(path: str) -> None:
    """Let this page's language links go to another page (a neutral page names no scan page)."""
    g.language_links_to = path


def forget_choice(response) -> None:
    """Delete the language cookie (Nederlands chosen, or "Snel weg")."""
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax")


def _readable_again(path: str) -> str:
    """Return `path` if a link (GET) can open it again, else the room's start page.

    A page answered to a form (say the personal link, shown only on a POST) has an address
    that a link cannot open: its language links go to the scan's overview, or the start page.
    """
    if request.method in ("GET", "HEAD"):
        return path
    try:
        endpoint, _ = current_app.url_map.bind("").match(path, method="GET")
    except HTTPException:
        endpoint = None
    if endpoint == request.endpoint:
        return path
    # Not this page (405, or another route's address such as a sector named "mijn-link"): the
    # scan room's pages go to the scan's overview, the others to the start page.
    view = current_app.view_functions.get(request.endpoint or "")
    in_scan_room = getattr(view, "__module__", "").startswith("scan.scans.")
    return url_for("scans.overview") if in_scan_room else "/"


def _switcher() -> dict:
    """Return the language links for the layout: each language's own name and address."""
    if not request or request.blueprint in DUTCH_ONLY:
        return {"page_language": DEFAULT}
    current = current_language()
    others = {key: value for key, value in request.args.items() if key != PARAMETER}
    path = g.get("language_links_to") or _readable_again(request.path)
    if path != request.path:
        others = {}
    links = []
    for code, name in LANGUAGES.items():
        query = urlencode({**others, PARAMETER: code})
        links.append(
            {
                "code": code,
                "name": name,
                "href": f"{path}?{query}",
                "current": code == current,
            }
        )
    return {"language_links": links, "page_language": current}
