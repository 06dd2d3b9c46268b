"""Control characters are refused at the door, in one place for the whole app: in the path,
the query string and the headers we read (API and pages), and in console form fields.

NUL makes PostgreSQL fail (a 500) and SQLite stores it; the other C0 characters are
invisible and spoil what we store, log and export. The API answers 400 `malformed` in its
JSON shape; pages answer a 400 page in the reader's language. The refused text is never
logged as it came, only escaped."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _

from ..api.auth import APP_VERSION_HEADER, LINK_HEADER
from ..api.errors import ApiError, is_api
from ..patterns import CONTROL_RE, TEXT_CONTROL_RE

log = logging.getLogger(__name__)
CONSOLE = "/console/"


def _address_part() -> str | None:
    """Which part of the address or of our headers holds a control character, if any."""
    if CONTROL_RE.search(request.path):
        return "path"
    if any(CONTROL_RE.search(key) or CONTROL_RE.search(value)
           for key, value in request.args.items(multi=True)):
        return "query"
    if any(CONTROL_RE.search(request.headers.get(name, ""))
           for name in (LINK_HEADER, APP_VERSION_HEADER)):
        return "header"
    return None


def _form_field() -> str | None:
    if not request.path.startswith(CONSOLE) or request.method != "POST":
        return None
    for key, value in request.form.items(multi=True):
        if CONTROL_RE.search(key) or TEXT_CONTROL_RE.search(value):
            return key
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_control_characters():
        part = _address_part()
        field = None if part else _form_field()
        if part is None and field is None:
            return None
        log.info("refused control characters in the %s of %s %r", part or "form",
                 request.method, request.full_path)
        if is_api():
            raise ApiError(400, "malformed", _("The address or a header of the request "
                                               "contains control characters, which are not "
                                               "allowed."), {"part": part})
        if part is not None:
            message = _("The address contains invisible control characters. Check the link "
                        "or type the address again.")
        else:
            message = _("A field of the form contains invisible control characters, which "
                        "cannot be kept. Type the text again instead of pasting it, and "
                        "send the form once more.")
        return render_template("error.html", status=400, message=message), 400
