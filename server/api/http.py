"""Small helpers the API views share: reading JSON bodies, conditional GETs."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import ApiError


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", _("What you sent is too large."), {"max_bytes": limit})


def _read_body(limit: int) -> bytes:
    """The whole body, at most `limit` bytes, whether it came with a Content-Length or in
    chunks (the same 413 either way). Werkzeug refuses a stream that *reaches* its maximum,
    so it is given one byte more and the last byte is judged here."""
    request.max_content_length = limit + 1
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge as err:
        raise _too_large(limit) from err
    if len(data) > limit:
        raise _too_large(limit)
    return data


def json_body() -> Any:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       _("Send the data as JSON (Content-Type: application/json)."))
    _read_body(current_app.config["WILLAY"]["MAX_BATCH_BYTES"])
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed", _("The request could not be read. Check that it is "
                                           "valid JSON."))
    return data


def cached_json(payload: Any, etag: str, max_age: int = 0) -> Response:
    """JSON with a strong ETag; a matching If-None-Match gets an empty 304. Matched weakly,
    as RFC 9110 says for If-None-Match: a proxy that gzips the answer (deploy/nginx) hands
    the phone the same tag marked weak (W/"..."), which the phone then sends back."""
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = jsonify(payload)
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"private, max-age={max_age}, must-revalidate"
    return response
