"""App-wide template filters (scan/platform/filters.py)."""

from __future__ import annotations

from scan.platform import filters
from scan.questionnaire.duration import promised


def test_duur__worked_out_once_per_loaded_questionnaire(app, catalog, monkeypatch):
    q = catalog.get("voorbeeld")
    calls = []
    monkeypatch.setattr(filters, "promised_minutes", lambda q: calls.append(q) or (10, 25))
    filters._durations.clear()
    with app.test_request_context():
        assert filters.promised_once(q) == filters.promised_once(q) == "10 tot 25 minuten"
        assert calls == [q]
        other = catalog.get("haven")
        assert filters.promised_once(other) == "10 tot 25 minuten"
        assert calls == [q, other]  # its own entry
    filters._durations.clear()


def test_duur__in_the_page_language(client, catalog):
    """The promised minutes on the landing and sector pages follow the page's language (they
    were Dutch on English and Polish pages)."""
    q = catalog.get("voorbeeld")
    dutch = promised(q)
    low, high = dutch.removesuffix(" minuten").split(" tot ")
    assert dutch in client.get("/scan/voorbeeld").get_data(as_text=True)
    english = client.get("/scan/voorbeeld?taal=en").get_data(as_text=True)
    assert f"{low} to {high} minutes" in english and dutch not in english
    polish = client.get("/scan/voorbeeld?taal=pl").get_data(as_text=True)
    assert f"{low} do {high} minut" in polish and dutch not in polish
    landing = client.get("/?taal=en").get_data(as_text=True)  # every listed sector
    assert " minuten" not in landing
    haven_low, haven_high = promised(catalog.get("haven")).removesuffix(" minuten").split(" tot ")
    assert f"{haven_low} to {haven_high} minutes" in landing
