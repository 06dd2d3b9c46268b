"""One JSON error shape for the API: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from . import API_PREFIX

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("malformed", _("The request could not be read. Check that it is valid JSON.")),
        401: ("token_missing", _("This device is not connected. Pair it with a code.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        408: ("request_timeout", _("The connection stalled before everything arrived. "
                                   "Nothing was stored: send it again.")),
        409: ("conflict", _("This conflicts with what the server already has.")),
        413: ("too_large", _("What you sent is too large.")),
        415: ("unsupported_media_type", _("This kind of content is not accepted here.")),
        422: ("invalid", _("Some data is not valid.")),
        429: ("rate_limited", _("Too many requests. Wait a moment and try again.")),
        500: ("internal", _("Something went wrong on the server. Your data is safe on your "
                            "device; try again later.")),
    }


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None):
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def is_api() -> bool:
    return request.path.startswith(API_PREFIX + "/") or request.path == API_PREFIX


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err.status, err.code, err.message, err.details, err.headers)

    @app.errorhandler(ValidationError)
    def _validation_error(err: ValidationError):
        code, message = _messages()[422]
        return error_response(422, code, message, translate_errors(err.messages))

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        # the headers that say what to do next: which methods exist (405), when to retry (429)
        kept = err.get_response().headers
        headers = {name: kept[name] for name in ("Allow", "Retry-After") if name in kept}
        if is_api():
            code, message = _messages().get(status, (f"http_{status}", err.description or ""))
            return error_response(status, code, message, headers=headers)
        return render_template("error.html", status=status,
                               message=_messages().get(status, ("", err.description))[1]), \
            status, headers

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %r", request.method, request.path)  # escaped
        code, message = _messages()[500]
        if is_api():
            return error_response(500, code, message)
        return render_template("error.html", status=500, message=message), 500


def translate_errors(messages: Any) -> Any:
    """Marshmallow messages may be lazy strings; make them plain text in the request's locale."""
    if isinstance(messages, dict):
        return {str(k): translate_errors(v) for k, v in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_errors(m) for m in messages]
    return str(messages)
