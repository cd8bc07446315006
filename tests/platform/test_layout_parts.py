"""Layout parts (scan/platform/layout_parts.py): rendered once per language, never per visitor."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import meta

from scan.platform.layout_parts import EXTENSION
from tests.conftest import make_app

SCAN = Path(__file__).resolve().parents[2] / "scan"
TEMPLATES = SCAN / "platform" / "templates"
PARTS = ("_quick_exit.html", "_footer.html", "_footer_help.html", "_page_words.html")
# Parts of a room's own layout, by name, with the layout that uses them.
ROOM_PARTS = {"scans/_offline_status.html": SCAN / "scans" / "templates" / "scans" / "layout.html"}
# All a part may read: its texts, fixed addresses and who runs the service.
ALLOWED = {"_", "gettext", "url_for", "operator"}


def _footer(client, path: str) -> str:
    return client.get(path).get_data(as_text=True).split('<footer class="site-footer">')[1]


@pytest.mark.parametrize("name", PARTS + tuple(ROOM_PARTS))
def test_part_reads_only_language_texts_addresses_and_operator(app, name):
    source, _, _ = app.jinja_env.loader.get_source(app.jinja_env, name)
    names = meta.find_undeclared_variables(app.jinja_env.parse(source))
    assert names <= ALLOWED, f"{name} reads {sorted(names - ALLOWED)}: not a layout part"


def test_parts_are_used_by_the_layout():
    layout = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    for name in PARTS:
        assert f'layout_part("{name}")' in layout
    for name, room_layout in ROOM_PARTS.items():
        assert f'layout_part("{name}")' in room_layout.read_text(encoding="utf-8")


def test_scan_page_parts_follow_the_page_language(client):
    dutch = client.get("/scan/haven").get_data(as_text=True)
    english = client.get("/scan/haven?taal=en").get_data(as_text=True)
    assert 'data-say-saved="Opgeslagen."' in dutch
    assert 'data-say-saved="Opgeslagen."' not in english and "data-say-saved=" in english
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in dutch


def test_part__rendered_once_per_language_and_each_language_its_own(client):
    dutch = _footer(client, "/privacy")
    english = _footer(client, "/privacy?taal=en")
    assert "Privacyverklaring" in dutch and "Privacyverklaring" not in english
    assert "Bel <strong>112</strong>" in dutch and "Bel <strong>112</strong>" not in english
    again = _footer(client, "/privacy?taal=nl")
    assert again == dutch
    parts = client.application.extensions[EXTENSION]
    languages = {key[1] for key in parts._data}
    assert languages == {"nl", "en"}
    names = {key[0] for key in parts._data}
    assert set(PARTS) <= names
    assert len(parts) == 2 * len(names)  # each part once per language


def test_part__one_app_never_shows_another_apps_operator():
    first = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "OPERATOR_NAME": "PVO Noord"})
    second = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "OPERATOR_NAME": "PVO Zuid"})
    assert "PVO Noord" in _footer(first.test_client(), "/privacy")
    assert "PVO Zuid" in _footer(second.test_client(), "/privacy")
    second.config["OPERATOR_NAME"] = "PVO Oost"  # a changed setting is a new key, not a stale part
    assert "PVO Oost" in _footer(second.test_client(), "/privacy")


def test_part__paths_follow_the_script_root(client):
    footer = _footer(client, "/privacy")
    prefixed = client.get("/privacy", base_url="http://localhost/scan-app")
    assert 'href="/privacy"' in footer
    assert 'href="/scan-app/privacy"' in _footer_of(prefixed)


def _footer_of(response) -> str:
    return response.get_data(as_text=True).split('<footer class="site-footer">')[1]
