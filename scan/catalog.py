"""The app's questionnaire catalog: loaded once per process and folder state, then shared."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .cache import lru
from .questionnaire import Catalog, load_catalog
from .questionnaire.parsecache import ParseCache

# A loaded catalog, keyed on the folder and the name, modification time and size of every
# YAML file in it. Safe: a changed, added or removed file changes the key, and a catalog is
# never changed after loading. Apps (e.g. in tests) that share a folder share its catalog.
_catalogs = lru("catalogs", 8)


def get_catalog(app: Flask | None = None) -> Catalog:
    """Return the catalog of the current app, loading questionnaires on first use."""
    app = app or current_app
    catalog = app.extensions.get("scan_catalog")
    if catalog is None:
        catalog = _load(Path(app.config["QUESTIONNAIRE_DIR"]), _parse_cache(app))
        for problem in catalog.problems:
            if problem.severity == "error":
                app.logger.error("questionnaire refused: %s", problem)
        app.extensions["scan_catalog"] = catalog
    return catalog


def _parse_cache(app: Flask) -> ParseCache | None:
    """Return the app's cache of parsed questionnaire files, signed with its secret key."""
    folder = app.config.get("QUESTIONNAIRE_CACHE_DIR")
    return ParseCache(folder, app.config["SECRET_KEY"]) if folder else None


def _load(folder: Path, cache: ParseCache | None) -> Catalog:
    """Load a folder's catalog, re-using one loaded earlier while no file has changed."""
    state = (
        str(folder.resolve()),
        tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))
        ),
    )
    return _catalogs.get_or_make(state, lambda: load_catalog(folder, cache))
