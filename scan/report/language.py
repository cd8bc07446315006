"""The report's language: its fixed texts through the interface's gettext catalogs.

`render_pdf(..., language="pl")` renders one PDF in a language: `speaking(language)` makes
`_` translate with scan/translations (the same catalogs as the web pages, Dutch the source
language) for the length of that render. The fixed texts in wording.py are marked with `N_`
so that `make translations` extracts them; their use sites translate them with `_`.
No Flask: babel's own Translations, loaded once per language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SOURCE = "nl"
_current: ContextVar[str] = ContextVar("report_language", default=SOURCE)


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a fixed text for extraction; it is translated where it is used (`_`)."""
    return text


@lru_cache(maxsize=8)
def _catalog(language: str) -> NullTranslations:
    if language == SOURCE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate the report's texts into this language while the block runs."""
    token = _current.set(language or SOURCE)
    try:
        yield
    finally:
        _current.reset(token)


def _(text: str) -> str:
    """Return a fixed text in the report's current language (Dutch when untranslated)."""
    return _catalog(_current.get()).gettext(text)


class _ReportWords:
    """The report's language for scan.presentation's Words seam (the counts sentence)."""

    def gettext(self, message: str) -> str:
        return _(message)

    def ngettext(self, one: str, many: str, count: int) -> str:
        return _catalog(_current.get()).ngettext(one, many, count)


WORDS = _ReportWords()


def current() -> str:
    """Return the report's current language code."""
    return _current.get()


def long_date(day: dt.date) -> str:
    """Return a date in words in the report's language: 28 november 2026, 28 listopada 2026."""
    return format_date(day, "d MMMM y", locale=_current.get())


def ngettext(one: str, many: str, count: int) -> str:
    """Return the singular or plural text for a count in the report's language, filled in with
    %(num)d (Polish has three forms: the catalog knows which)."""
    return _catalog(_current.get()).ngettext(one, many, count) % {"num": count}
