"""Receiving an attachment: idempotent, hash-checked, size-limited."""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Attachment
from .storage import MediaStore

ALLOWED_TYPES = {
    "image/jpeg", "image/png", "image/webp",
    "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/aac", "audio/wav",
    "audio/x-wav", "audio/3gpp", "audio/amr",
}


def media_store() -> MediaStore:
    return MediaStore(current_app.config["WILLAY"]["MEDIA_DIR"])


def receive(sha256: str, content_type: str, stream: BinaryIO) -> tuple[Attachment, bool]:
    """Store the file; the bytes are always checked against the address, even for a file we
    hold, so an upload proves possession and nobody can probe which files exist.
    Returns (attachment, created)."""
    limit = current_app.config["WILLAY"]["MAX_ATTACHMENT_BYTES"]
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
