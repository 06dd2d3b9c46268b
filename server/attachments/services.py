"""Receiving an attachment: idempotent, hash-checked, size-limited."""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Attachment
from .storage import LocalStore, MediaStore

PHOTO_AUDIO_TYPES = {
    "image/jpeg", "image/png", "image/webp",
    "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/aac", "audio/wav",
    "audio/x-wav", "audio/3gpp", "audio/amr",
}
# video answers and `file` answers (documents): up to WILLAY_MAX_VIDEO_BYTES. Nothing a
# browser would run (HTML, SVG, XML, scripts) is taken.
LARGE_TYPES = {
    "video/mp4", "video/webm", "video/3gpp", "video/quicktime", "video/x-matroska",
    "application/pdf", "text/plain", "text/csv", "application/zip",
    "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/octet-stream",
}
ALLOWED_TYPES = PHOTO_AUDIO_TYPES | LARGE_TYPES


def size_limit(content_type: str) -> int:
    """Bytes allowed for a file of this type: videos and documents have their own limit."""
    willay = current_app.config["WILLAY"]
    if content_type in LARGE_TYPES:
        return max(willay["MAX_VIDEO_BYTES"], willay["MAX_ATTACHMENT_BYTES"])
    return willay["MAX_ATTACHMENT_BYTES"]


def build_store(willay: dict) -> MediaStore:
    """The store the settings name: a bucket for WILLAY_MEDIA_URL=s3://…, else the media
    folder."""
    if willay.get("MEDIA_URL"):
        from .s3 import S3Store

        return S3Store.from_url(willay["MEDIA_URL"], endpoint_url=willay["S3_ENDPOINT_URL"],
                                access_key_id=willay["S3_ACCESS_KEY_ID"],
                                secret_access_key=willay["S3_SECRET_ACCESS_KEY"],
                                region=willay["S3_REGION"])
    return LocalStore(willay["MEDIA_DIR"])


def media_store() -> MediaStore:
    """This app's store, made once (a bucket's client is reused by every request)."""
    store = current_app.extensions.get("willay.media_store")
    if store is None:
        store = current_app.extensions.setdefault("willay.media_store",
                                                  build_store(current_app.config["WILLAY"]))
    return store


def read_bytes(sha256: str) -> bytes:
    """A whole stored file (small ones: choice lists); MediaMissing if the store lacks it."""
    with media_store().open(sha256) as stored:
        return stored.read()


def receive(sha256: str, content_type: str, stream: BinaryIO) -> tuple[Attachment, bool]:
    """Store the file; the bytes are always checked against the address, even for a file we
    hold, so an upload proves possession and nobody can probe which files exist.
    Returns (attachment, created)."""
    limit = size_limit(content_type)
    size = media_store().save(sha256, stream, limit)
    existing = db.session.get(Attachment, sha256)
    if existing is not None:
        return existing, False
    attachment = Attachment(sha256=sha256, size=size, content_type=content_type)
    db.session.add(attachment)
    try:
        db.session.commit()
    except IntegrityError:  # a parallel upload of the same file won the race: same bytes
        db.session.rollback()
        return db.session.get(Attachment, sha256), False
    return attachment, True
