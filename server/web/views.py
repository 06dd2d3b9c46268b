from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    request,
    send_from_directory,
)
from sqlalchemy import text
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

from ..extensions import db
from .compression import compressed
from .lean import lean_module
from .security import CSP_FRAMEABLE
from .shell import (
    INDEX_FILE,
    SW_FILE,
    VERSION_FILE,
    index_page,
    service_worker_source,
    shell,
    version_module,
)

JS = "text/javascript; charset=utf-8"
MANIFEST = "manifest.webmanifest"
# a file asked for by its current hashed address (?v=) never changes under it
IMMUTABLE = "public, max-age=31536000, immutable"

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - the health check reports, never raises
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify({"status": "ok" if status == 200 else "degraded", "database": database}), status


def _pwa_dir() -> str:
    return current_app.config["WILLAY"]["PWA_DIR"]


def _fresh(response: Response) -> Response:
    # the browser must ask every time: these two name the version of everything else
    response.headers["Cache-Control"] = "no-cache"
    return response


def _cached_by_address(response: Response, name: str) -> Response:
    """Cached for good at its current hashed address; any other address (a plain one, or an
    old hash asked for during a rolling deploy) gets the current bytes, revalidated."""
    if shell(_pwa_dir()).is_current(name, request.args.get("v")):
        response.headers["Cache-Control"] = IMMUTABLE
        return response
    return _fresh(response)


@bp.get("/app/")
@compressed()
def index():
    page = index_page(_pwa_dir())
    response = _fresh(Response(page.html, mimetype="text/html"))
    # the page's only inline script is its import map, allowed by its hash
    response.headers["Content-Security-Policy"] = CSP_FRAMEABLE.replace(
        "script-src 'self'", f"script-src 'self' {page.script_hash}")
    return response


@bp.get(f"/app/{SW_FILE}")
@compressed()
def service_worker():
    return _fresh(Response(service_worker_source(_pwa_dir()), mimetype=JS))


@bp.get(f"/app/{VERSION_FILE}")
@compressed()
def app_version():
    return _cached_by_address(Response(version_module(_pwa_dir()), mimetype=JS), VERSION_FILE)


@bp.get(f"/app/{MANIFEST}")
def manifest():
    return send_from_directory(_pwa_dir(), MANIFEST, mimetype="application/manifest+json")


@bp.get("/app/<path:filename>")
@compressed()
def pwa(filename: str):
    if filename == INDEX_FILE:
        return index()
    current = shell(_pwa_dir())
    if filename.endswith(".js") and filename in current.hashes:
        # a module: its comment lines blanked (server/web/lean.py), its hash as the ETag
        path = safe_join(_pwa_dir(), filename)
        if path is None:
            raise NotFound()
        response = Response(lean_module(path, current.hashes[filename]), content_type=JS)
        response.set_etag(current.hashes[filename])
        return _cached_by_address(response.make_conditional(request), filename)
    return _cached_by_address(send_from_directory(_pwa_dir(), filename), filename)
