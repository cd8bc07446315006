"""Response headers that keep the entrepreneur's pages private and closed to third parties."""

from __future__ import annotations

from flask import Response

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


def secure_headers(response: Response) -> Response:
    """Add privacy and security headers to a public page."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def private_headers(response: Response) -> Response:
    """Add the public headers, and keep a scan page out of caches and search engines."""
    secure_headers(response)
    # A scan link in the cache of a shared computer tells too much.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
