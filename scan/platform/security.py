"""Response headers that keep every page private and closed to third parties, set app-wide."""

from __future__ import annotations

from flask import Flask, Response, request

# Everything comes from the app itself: no CDN, fonts, scripts or frames from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HSTS = "max-age=31536000"
# Only the landing and information pages may show up in search engines.
INDEXABLE_BLUEPRINTS = frozenset({"public"})


def register(app: Flask) -> None:
    """Add the security headers to every response of the app, error pages included."""
    app.after_request(security_headers)


def security_headers(response: Response) -> Response:
    """Add privacy and security headers; keep pages out of caches (static files excepted)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint == "static" and response.status_code < 400:
        headers.setdefault("Cache-Control", "no-cache")  # revalidated, never stale
        return response
    # A scan link or a shared scan in the cache of a shared computer tells too much.
    headers["Cache-Control"] = "no-store"
    if request.blueprint not in INDEXABLE_BLUEPRINTS:
        headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
