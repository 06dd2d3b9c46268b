from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, send_from_directory
from sqlalchemy import text

from ..extensions import compress, db
from .shell import (
    INDEX_FILE,
    SW_FILE,
    VERSION_FILE,
    index_source,
    service_worker_source,
    version_module,
)

JS = "text/javascript; charset=utf-8"
MANIFEST = "manifest.webmanifest"

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    return render_template("home.html", public_url=current_app.config["WILLAY"]["PUBLIC_URL"])


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


@bp.get("/app/")
@compress.compressed()
def index():
    return _fresh(Response(index_source(_pwa_dir()), mimetype="text/html"))


@bp.get(f"/app/{SW_FILE}")
@compress.compressed()
def service_worker():
    return _fresh(Response(service_worker_source(_pwa_dir()), mimetype=JS))


@bp.get(f"/app/{VERSION_FILE}")
@compress.compressed()
def app_version():
    return _fresh(Response(version_module(_pwa_dir()), mimetype=JS))


@bp.get(f"/app/{MANIFEST}")
def manifest():
    return send_from_directory(_pwa_dir(), MANIFEST, mimetype="application/manifest+json")


@bp.get("/app/<path:filename>")
@compress.compressed()
def pwa(filename: str):
    if filename == INDEX_FILE:
        return index()
    return send_from_directory(_pwa_dir(), filename)
