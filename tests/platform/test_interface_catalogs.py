"""The interface's catalogs: complete in English and Polish, compiled files up to date."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "scan" / "translations"


@pytest.mark.parametrize("language", ["en", "pl"])
def test_catalog__no_untranslated_or_fuzzy_text(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    open_texts = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert not open_texts, open_texts
    assert len(catalog) > 250  # the layout, error pages, public pages and the PDF


@pytest.mark.parametrize("language", ["en", "pl"])
def test_compiled_catalog__matches_its_po_file(language):
    """The .mo is committed (a clean clone and the wheel need it): it must be compiled anew."""
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with (folder / "messages.mo").open("rb") as handle:
        shipped = read_mo(handle)
    expected = read_mo(compiled)
    as_dict = lambda c: {(str(m.id), m.context): str(m.string) for m in c if m.id}  # noqa: E731
    assert as_dict(shipped) == as_dict(expected), "run `make translations`"


@pytest.mark.parametrize("language", ["en", "pl"])
def test_catalog__placeholders_and_phone_numbers_kept(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    import re

    marks = re.compile(r"%\(\w+\)[sd]|\{\w+\}|0800-7000|0900-8844|\b112\b")
    for m in catalog:
        if not m.id or isinstance(m.id, tuple):
            continue
        assert sorted(marks.findall(m.id)) == sorted(marks.findall(m.string)), m.id
