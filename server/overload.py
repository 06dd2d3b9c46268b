"""Requests that waited too long for a thread (server/serving.py) are answered 503 with
Retry-After before any work: the app honours it and sends again a few seconds later."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _

from .api import API_PREFIX
from .api.errors import error_response

# set by server/serving.py on a request that waited too long: the Retry-After seconds
SHED_KEY = "willay.shed_retry_after"


def _busy():
    seconds = request.environ.get(SHED_KEY)
    if not seconds:
        return None
    message = _("The server is busy. What you sent is safe on your device; it will be sent "
                "again in a moment.")
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith(API_PREFIX + "/"):
        return error_response(503, "overloaded", message, {"retry_after": seconds}, headers)
    return render_template("error.html", status=503, message=message), 503, headers


def init_app(app: Flask) -> None:
    app.before_request(_busy)
