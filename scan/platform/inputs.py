"""The edge: refuse input no page can use before any view, form or database sees it.

NUL and other control characters in the path, the query or a form (PostgreSQL cannot store
NUL, and no keyboard types the others) and file parts get a Dutch 400; only the studio's
upload takes a file (checked there by the questionnaire loader and its size limit).
Tabs and line breaks stay allowed in form values: text areas send them.
"""

from __future__ import annotations

import re

from flask import Flask, abort, make_response, request

from scan.platform.errors import render_error

# C0 controls, DEL and C1 controls; form values may hold tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

BAD_CHARACTERS = (
    "Wat u stuurde, bevat tekens die we niet kunnen verwerken. Dat kan gebeuren als u tekst "
    "kopieert uit een ander programma. Er is niets opgeslagen. Ga terug, typ de tekst opnieuw "
    "en probeer het nog eens."
)
NO_FILES = (
    "Hier kunt u geen bestand meesturen. Er is niets opgeslagen. Ga terug en probeer het opnieuw."
)


FILE_ENDPOINTS = frozenset({"studio.upload"})


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
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.files and request.endpoint not in FILE_ENDPOINTS:
        _refuse(NO_FILES)
    for key, value in request.form.items(multi=True):
        if CONTROL.search(key) or CONTROL_IN_TEXT.search(value):
            _refuse(BAD_CHARACTERS)


def _refuse(message: str) -> None:
    abort(make_response(render_error(400, message)))
