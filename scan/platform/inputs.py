"""The edge: refuse input no page can use before any view, form or database sees it.

NUL and other control characters in the path, the query or a form (PostgreSQL cannot store
NUL, and no keyboard types the others) and file parts get a 400 in the page's language; only
the studio's upload takes a file (checked there by the questionnaire loader and its size limit).
Tabs and line breaks stay allowed in form values: text areas send them.
A whole number in the query outside the database's integer range (a page number such as
9223372036854775807) and brackets nested deeper than MAX_NESTING in any query, form or JSON
value (a preview answer nested 20,000 deep) get a Dutch 400 too: no parser recurses on them.
"""

from __future__ import annotations

import re

from flask import Flask, abort, make_response, request
from flask_babel import lazy_gettext as _l

from scan.platform.errors import render_error

# C0 controls, DEL and C1 controls; form values may hold tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

BAD_CHARACTERS = _l(
    "Wat u stuurde, bevat tekens die we niet kunnen verwerken. Dat kan gebeuren als u tekst "
    "kopieert uit een ander programma. Er is niets opgeslagen. Ga terug, typ de tekst opnieuw "
    "en probeer het nog eens."
)
NO_FILES = _l(
    "Hier kunt u geen bestand meesturen. Er is niets opgeslagen. Ga terug en probeer het opnieuw."
)


NUMBER_TOO_LARGE = _l(
    "Het adres bevat een getal dat te groot is. Ga terug naar de vorige pagina en probeer het "
    "opnieuw."
)
TOO_DEEP = _l(
    "Wat u stuurde, zit te diep in elkaar genest om te lezen. Er is niets opgeslagen. Ga terug "
    "en probeer het opnieuw."
)

FILE_ENDPOINTS = frozenset({"studio.upload", "studio.language_upload"})
# Query parameters that hold free text, never a number: a phone number typed into the
# caseload's search ("+31698765432") is a search, not an out-of-range page number.
FREE_TEXT_PARAMETERS = frozenset({"zoek", "referentie", "next"})
WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the database's integer column
MAX_NESTING = 32  # brackets ([ and {) inside each other in one value


def database_int(text: str) -> int:
    """Return a whole number that fits an integer column; raise ValueError otherwise.

    For `request.args.get(name, type=database_int)`: out of range reads as missing.
    """
    if not WHOLE_NUMBER.fullmatch(text or "") or len(text) > 20:
        raise ValueError(text)
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(text)
    return value


def too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """Tell whether brackets in a text nest deeper than the limit (JSON arrays and objects)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for character in text:
        if character in "[{":
            depth += 1
            if depth > limit:
                return True
        elif character in "]}" and depth:
            depth -= 1
    return False


def register(app: Flask) -> None:
    """Check every request's input first, before the extensions and views read it."""
    app.before_request(refuse_bad_input)


def refuse_bad_input() -> None:
    """Answer 400 to control characters in path, query or form, and to file parts."""
    if CONTROL.search(request.path):
        _refuse(BAD_CHARACTERS)
    for key, value in request.args.items(multi=True):
        if CONTROL.search(key) or CONTROL.search(value):
            _refuse(BAD_CHARACTERS)
        if key not in FREE_TEXT_PARAMETERS and WHOLE_NUMBER.fullmatch(value):
            if _out_of_range(value):
                _refuse(NUMBER_TOO_LARGE)
        if too_deep(value):
            _refuse(TOO_DEEP)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json and too_deep(request.get_data(as_text=True)):
        _refuse(TOO_DEEP)
    if request.files and request.endpoint not in FILE_ENDPOINTS:
        _refuse(NO_FILES)
    for key, value in request.form.items(multi=True):
        if CONTROL.search(key) or CONTROL_IN_TEXT.search(value):
            _refuse(BAD_CHARACTERS)
        if too_deep(value):
            _refuse(TOO_DEEP)


def _out_of_range(value: str) -> bool:
    try:
        database_int(value)
    except ValueError:
        return True
    return False


def _refuse(message: str) -> None:
    abort(make_response(render_error(400, message)))
