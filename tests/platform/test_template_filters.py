"""App-wide template filters (scan/platform/filters.py)."""

from __future__ import annotations

from scan.platform import filters


def test_duur__worked_out_once_per_loaded_questionnaire(catalog, monkeypatch):
    q = catalog.get("voorbeeld")
    expected = filters.promised(q)
    calls = []
    monkeypatch.setattr(filters, "promised", lambda q: calls.append(q) or expected)
    filters._durations.clear()
    assert filters.promised_once(q) == filters.promised_once(q) == expected
    assert calls == [q]
    other = catalog.get("haven")
    assert filters.promised_once(other) == expected and calls == [q, other]  # its own entry
