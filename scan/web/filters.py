"""The app-wide template filters (registered in the app factory)."""

from __future__ import annotations

from flask import Flask

from ..presentation import dutch_date


def register(app: Flask) -> None:
    """Register every template filter: |datum formats a date the Dutch way."""
    app.add_template_filter(dutch_date, "datum")
