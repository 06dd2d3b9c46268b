from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from sqlalchemy import text

from ..extensions import db

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


@bp.get("/app/")
@bp.get("/app/<path:filename>")
def pwa(filename: str = "index.html"):
    return send_from_directory(current_app.config["WILLAY"]["PWA_DIR"], filename)
