"""Absolute links to give away (the personal scan link): built from PUBLIC_BASE_URL.

The Host header is chosen by whoever sends the request, so in production it never decides
where a link points. Only in development and tests does the request's own address stand in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for


def check_config(app: Flask) -> None:
    """Refuse a malformed PUBLIC_BASE_URL; warn when production has none."""
    base = app.config.get("PUBLIC_BASE_URL")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"PUBLIC_BASE_URL must look like https://host, not {base!r}")
    elif not (app.debug or app.testing):
        app.logger.warning("PUBLIC_BASE_URL is not set: personal scan links cannot be shown.")


def public_base() -> str:
    """Return the app's public address without a trailing slash, e.g. https://host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        if not (current_app.debug or current_app.testing):
            raise RuntimeError("PUBLIC_BASE_URL is not set; links are never built from Host")
        base = request.host_url if has_request_context() else "http://localhost/"
    return base.rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint at the app's public address.

    Also outside a request (a CLI command, a service called from a test): the path is then
    built in a throwaway request context, the address still comes from PUBLIC_BASE_URL.
    """
    if has_request_context():
        return public_base() + url_for(endpoint, **values)
    base = public_base()
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)
