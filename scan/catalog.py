"""The app's questionnaire catalog, loaded once per process on first use."""

from __future__ import annotations

from flask import Flask, current_app

from .questionnaire import Catalog, load_catalog


def get_catalog(app: Flask | None = None) -> Catalog:
    """Return the catalog of the current app, loading questionnaires on first use."""
    app = app or current_app
    catalog = app.extensions.get("scan_catalog")
    if catalog is None:
        catalog = load_catalog(app.config["QUESTIONNAIRE_DIR"])
        for problem in catalog.problems:
            if problem.severity == "error":
                app.logger.error("questionnaire refused: %s", problem)
        app.extensions["scan_catalog"] = catalog
    return catalog
