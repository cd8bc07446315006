"""The app's questionnaire catalog: loaded once per process and folder state, then shared."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from .questionnaire import Catalog, load_catalog

_cache: dict[tuple, Catalog] = {}
_lock = threading.Lock()


def get_catalog(app: Flask | None = None) -> Catalog:
    """Return the catalog of the current app, loading questionnaires on first use."""
    app = app or current_app
    catalog = app.extensions.get("scan_catalog")
    if catalog is None:
        catalog = _load(Path(app.config["QUESTIONNAIRE_DIR"]))
        for problem in catalog.problems:
            if problem.severity == "error":
                app.logger.error("questionnaire refused: %s", problem)
        app.extensions["scan_catalog"] = catalog
    return catalog


def _load(folder: Path) -> Catalog:
    """Load a folder's catalog, re-using one loaded earlier while no file has changed."""
    state = (
        str(folder.resolve()),
        tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))
        ),
    )
    with _lock:
        if state not in _cache:
            if len(_cache) >= 8:
                _cache.pop(next(iter(_cache)))
            _cache[state] = load_catalog(folder)
        return _cache[state]
