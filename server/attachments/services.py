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
    """Store the file unless we already have it. Returns (attachment, created)."""
    existing = db.session.get(Attachment, sha256)
    store = media_store()
    if existing is not None and store.exists(sha256):
        return existing, False
    limit = current_app.config["WILLAY"]["MAX_ATTACHMENT_BYTES"]
    size = store.save(sha256, stream, limit)
    if existing is not None:  # the row survived but the file was lost: restored now
        return existing, True
    attachment = Attachment(sha256=sha256, size=size, content_type=content_type)
    db.session.add(attachment)
    try:
        db.session.commit()
    except IntegrityError:  # a parallel upload of the same file won the race: same bytes
        db.session.rollback()
        return db.session.get(Attachment, sha256), False
    return attachment, True
