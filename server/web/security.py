"""Security headers on every response, and what browsers and proxies may keep."""

from __future__ import annotations

from flask import Flask, Response, request

# The app and pages load only their own code; inline styles are allowed for the small
# page-level <style> blocks. Photos and recordings may be previewed from blob: URLs.
# The PWA's service worker and manifest come from our own origin only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
       "worker-src 'self'; manifest-src 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")

# The app's page may be framed by our own pages only: the console's live preview of a survey.
FRAMEABLE = ("/app/", "/app/index.html")
CSP_FRAMEABLE = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


def _cache_rule(response: Response) -> None:
    """Console answers show personal data: no browser, proxy or shared computer may keep
    them (not even photos: the next person at a municipal office's computer could open
    them from its cache). API answers that choose no caching themselves (pairing tokens,
    receipts and their replies, batch results, errors) are not kept either."""
    path = request.path
    if path == "/console" or path.startswith("/console/"):
        private = response.cache_control.private
        response.headers["Cache-Control"] = "private, no-store" if private else "no-store"
    elif path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy",
                                    CSP_FRAMEABLE if request.path in FRAMEABLE else CSP)
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(self), microphone=(self), geolocation=(self)")
        _cache_rule(response)
        return response
