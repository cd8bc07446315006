"""The app-wide template filters and page context (registered in the app factory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app
from flask_babel import format_date, gettext

from scan.platform.cache import lru
from scan.presentation import advice_by_priority, score_figure, week_steps
from scan.questionnaire import Questionnaire
from scan.questionnaire.duration import promised_minutes
from scan.questionnaire.links import mailto_href, safe_href, tel_href


def register(app: Flask) -> None:
    """Register every template filter and global, and the footer's operator.

    |datum: a date in the page's language (26 februari 2027); |score: a 0-100 score as the
    PDF prints it too (presentation);
    |duur: "5 tot 25 minuten" in the page's language, from a reading model; week_steps and
    advice_by_priority: the result's first screen; |safe_href, |tel_href and |mailto_href: the
    only way an address, phone number or e-mail address from data becomes an href (None, so
    no link, for anything unsafe).
    """
    app.add_template_filter(_long_date, "datum")
    app.add_template_filter(score_figure, "score")
    app.add_template_filter(promised_once, "duur")
    app.add_template_filter(safe_href, "safe_href")
    app.add_template_filter(tel_href, "tel_href")
    app.add_template_filter(mailto_href, "mailto_href")
    app.add_template_global(week_steps)
    app.add_template_global(advice_by_priority)
    app.context_processor(_operator)
    # The shared components (flash_messages, error_summary) as globals: a `{% from ... import %}`
    # costs a set difference over every global on each render (jinja's _get_default_module),
    # while the macros, which read the request only when called, are the same for every page.
    components = app.jinja_env.get_template("components/messages.html").module
    app.add_template_global(components.flash_messages, "flash_messages")  # type: ignore[attr-defined]
    app.add_template_global(components.error_summary, "error_summary")  # type: ignore[attr-defined]


# A questionnaire's promised duration, keyed on id(q). Safe: the entry holds q itself, so its
# id() cannot be reused while the entry lives, and a hit is checked with `is`; a loaded
# questionnaire never changes, and the duration reads nothing else.
_durations = lru("promised-durations", 256)


def promised_once(q: Questionnaire) -> str:
    """Return the minutes a scan promises in the page's language ("5 tot 25 minuten"), worked
    out once per loaded questionnaire (every sector, landing and link page shows it; reading
    every question's words took a tenth of a page)."""
    cached = _durations.get(id(q))
    if cached is None or cached[0] is not q:
        cached = _durations.put(id(q), (q, promised_minutes(q)))
    low, high = cached[1]
    if low >= high:
        return gettext("%(high)s minuten", high=high)
    return gettext("%(low)s tot %(high)s minuten", low=low, high=high)


def _long_date(value: dt.date) -> str:
    """Return a date in full in the page's language: 26 februari 2027, 26 February 2027."""
    return format_date(value, "d MMMM y")


def _operator() -> dict:
    """Return who runs this service, for the footer on every page."""
    return {"operator": operator_of(current_app.config)}


def operator_of(config: Mapping[str, Any]) -> dict[str, str | None]:
    """Return who runs this service: the contact only as a safe link (an e-mail address
    becomes mailto:, a web address must be https, links.safe_href)."""
    contact = config.get("OPERATOR_CONTACT") or None
    href = (mailto_href(contact) or safe_href(contact)) if contact else None
    return {
        "name": config.get("OPERATOR_NAME") or None,
        "contact": contact if href else None,
        "contact_href": href,
    }
