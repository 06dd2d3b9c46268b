from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..api.auth import current_client
from ..api.errors import ApiError, error_response, is_api
from ..extensions import db, limiter
from ..patterns import SHA256_RE
from .schemas import AttachmentReceivedSchema
from .services import ALLOWED_TYPES, receive, size_limit
from .storage import HashMismatch, StoreUnavailable, TooLarge

bp = Blueprint("attachments", __name__, url_prefix="/api/v1/attachments")
RECEIVED = AttachmentReceivedSchema()
STORE_RETRY_SECONDS = 30


@bp.app_errorhandler(StoreUnavailable)
def _store_unavailable(err: StoreUnavailable):
    """The media store (a bucket) could not be reached, anywhere in the app: nothing was
    stored, and the phone tries again by itself (503 is a retry for it)."""
    db.session.rollback()
    message = _("The files could not be reached just now. Nothing was lost: try again in "
                "a moment.")
    headers = {"Retry-After": str(STORE_RETRY_SECONDS)}
    if is_api():
        return error_response(503, "storage_unavailable", message,
                              {"retry_after": STORE_RETRY_SECONDS}, headers)
    return render_template("error.html", status=503, message=message), 503, headers


def _public_upload_limit() -> str:
    return current_app.config["WILLAY"]["RATELIMIT_PUBLIC_UPLOADS"]


def _from_device() -> bool:
    return current_client().channel == "device"


@bp.put("/<sha256>")
@limiter.limit(_public_upload_limit, exempt_when=_from_device)
def put_attachment(sha256: str):
    current_client()
    if not SHA256_RE.fullmatch(sha256):
        raise ApiError(400, "malformed", _("The address must end in the file's SHA-256 "
                                           "(64 lower-case hex digits)."))
    content_type = (request.mimetype or "").lower()
    if content_type not in ALLOWED_TYPES:
        raise ApiError(415, "unsupported_media_type",
                       _("Only photos (JPEG, PNG, WebP), recordings, videos and documents "
                         "(PDF, text, office files) are accepted."),
                       {"allowed": sorted(ALLOWED_TYPES)})
    limit = size_limit(content_type)
    # files have their own limit; the app-wide one is the (smaller) JSON batch limit. One
    # byte more for Werkzeug, which refuses a body that *reaches* its maximum when the
    # server (gunicorn) ends the stream itself: a file of exactly `limit` bytes is allowed,
    # and MediaStore.save refuses byte limit + 1.
    request.max_content_length = limit + 1
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _("The file is too large (at most %(mb)s MB).",
                                           mb=limit // (1024 * 1024)), {"max_bytes": limit})
    try:
        attachment, created = receive(sha256, content_type, request.stream)
    except (TooLarge, RequestEntityTooLarge) as err:
        raise ApiError(413, "too_large", _("The file is too large (at most %(mb)s MB).",
                                           mb=limit // (1024 * 1024)),
                       {"max_bytes": limit}) from err
    except HashMismatch as err:
        raise ApiError(422, "hash_mismatch", _("The file arrived damaged. It will be sent again."),
                       {"expected": sha256, "received": err.actual}) from err
    body = {"sha256": attachment.sha256, "size": attachment.size,
            "content_type": attachment.content_type, "created": created}
    return RECEIVED.dump(body), 201 if created else 200
