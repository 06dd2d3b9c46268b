"""The console's start page."""

from __future__ import annotations

from flask import render_template

from .access import requires
from .blueprint import bp


@bp.get("/")
@requires("dashboard")
def home():
    return render_template("console/home.html")
