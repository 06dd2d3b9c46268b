"""Small helpers the API views share: reading JSON bodies, conditional GETs."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _

from .errors import ApiError


def json_body() -> Any:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       _("Send the data as JSON (Content-Type: application/json)."))
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed", _("The request could not be read. Check that it is "
                                           "valid JSON."))
    return data


def cached_json(payload: Any, etag: str, max_age: int = 0) -> Response:
    """JSON with a strong ETag; a matching If-None-Match gets an empty 304."""
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(payload)
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"private, max-age={max_age}, must-revalidate"
    return response
