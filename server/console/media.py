"""Photos and voice notes of submissions, for signed-in users who may see the submission."""

from __future__ import annotations

from flask import abort, request

from ..attachments.responses import stored_file_response
from ..patterns import SHA256_RE
from ..review.media_access import visible_attachment
from .access import area_limits, requires
from .blueprint import bp

MAX_AGE = 3600


@bp.get("/media/<sha256>")
@requires("submissions")
def media(sha256: str):
    conflict = request.args.get("conflict", "")
    bad_conflict = conflict and not (conflict.isdigit() and len(conflict) <= 9)
    if not SHA256_RE.fullmatch(sha256) or bad_conflict:
        abort(404)
    attachment = visible_attachment(sha256, area_limits(),
                                    int(conflict) if conflict else None)
    if attachment is None:
        abort(404)
    # streamed from the store (disk or bucket) after the check above; see docs/decisions.md
    response = stored_file_response(sha256, attachment.content_type, etag=sha256,
                                    max_age=MAX_AGE)
    if response is None:
        abort(404)
    # personal evidence: never kept by shared caches or proxies
    response.cache_control.public = False
    response.cache_control.private = True
    response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
