from __future__ import annotations

from flask import Blueprint

# Feature modules (auth, surveys, submissions, …) add their routes to this blueprint.
bp = Blueprint("console", __name__, url_prefix="/console")
