"""What gunicorn needs from the app: a private access log, fork hygiene, start-up checks."""

from __future__ import annotations

import re

from flask import Flask
from gunicorn.glogging import Logger

from scan.platform.logs import PRIVACY_FILTER, escape_controls

# Scan tokens (32 URL-safe characters) and public ids (32 hex digits) open a scan or name one.
_SECRET_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{32,}(?=/|$)")
MASK = "…"
# Only these atoms reach the access log: no address, query, referrer, headers or environ.
_SAFE_ATOMS = ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")


def mask_path(path: str | None) -> str:
    """Return a URL path with every token-like segment replaced by MASK, controls escaped."""
    return escape_controls(_SECRET_SEGMENT.sub(MASK, path or ""))


class AccessLogger(Logger):
    """gunicorn's logger: access lines carry no client address, no scan token, no control
    character; its error log (e.g. "Invalid request from ip=...") goes through the privacy
    filter, so addresses are masked there too."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.addFilter(PRIVACY_FILTER)

    def atoms(self, resp, req, environ, request_time):
        """Return the safe atoms only, the path masked; every other atom prints as '-'."""
        atoms = super().atoms(resp, req, environ, request_time)
        safe = {
            key: escape_controls(v) if isinstance(v := atoms[key], str) else v
            for key in _SAFE_ATOMS
        }
        safe["U"] = mask_path(environ.get("PATH_INFO"))
        safe["r"] = f"{safe['m']} {safe['U']} {safe['H']}"
        return safe


def preload(app: Flask) -> Flask:
    """Compile the templates now (create_app loaded the catalog): no first request waits."""
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    return app


def after_fork(app: Flask) -> None:
    """Drop database connections inherited from the master; each worker opens its own."""
    from scan.platform.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def shared_limits_warning(app: Flask, workers: int) -> str | None:
    """Return a warning when several workers would each count rate limits on their own."""
    storage = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        return (
            f"{workers} workers with the in-memory rate-limit store: each worker counts on its "
            "own, so limits are multiplied. Set RATELIMIT_STORAGE_URI=redis://... in production."
        )
    return None
