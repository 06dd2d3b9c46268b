"""Evidence files of commitment updates, kept in the media store (disk or bucket) under
their SHA-256, and registered with the media clean-up so they are never removed."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..attachments.cleanup import keep_hashes_from
from ..attachments.services import media_store, size_limit
from ..attachments.storage import TooLarge
from ..extensions import db
from .errors import FieldError
from .models import CommitmentUpdate

EVIDENCE_TYPES = {
    "application/pdf", "image/jpeg", "image/png", "image/webp",
    "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
}
# the first bytes of the types a browser could render (the rest is always downloaded)
_MAGIC = {"application/pdf": (b"%PDF-",), "image/jpeg": (b"\xff\xd8\xff",),
          "image/png": (b"\x89PNG\r\n\x1a\n",), "image/webp": (b"RIFF",)}


@dataclass(frozen=True)
class StoredEvidence:
    sha256: str
    name: str
    content_type: str


def store_evidence(upload: FileStorage) -> StoredEvidence:
    """Check and store an uploaded evidence file; FieldError('evidence', …) when refused."""
    content_type = (upload.mimetype or "").lower()
    if content_type not in EVIDENCE_TYPES:
        raise FieldError("evidence", _("Attach a PDF, a photo (JPEG, PNG, WebP) or an office "
                                       "document."))
    limit = size_limit(content_type)
    data = upload.stream.read(limit + 1)
    if not data:
        raise FieldError("evidence", _("The file is empty."))
    if len(data) > limit:
        raise FieldError("evidence", _("The file is too large."))
    magic = _MAGIC.get(content_type)
    if magic and not data.startswith(magic) or (
            content_type == "image/webp" and data[8:12] != b"WEBP"):  # not any RIFF file
        raise FieldError("evidence", _("The file's content does not match its type."))
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        media_store().save(sha256, io.BytesIO(data), limit)
    except TooLarge as exc:  # pragma: no cover - checked above
        raise FieldError("evidence", _("The file is too large.")) from exc
    name = (upload.filename or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:255]
    return StoredEvidence(sha256, name, content_type)


def _still_used(hashes: list[str]) -> Iterable[str]:
    return db.session.scalars(select(CommitmentUpdate.evidence_sha256).where(
        CommitmentUpdate.evidence_sha256.in_(hashes)).distinct())


keep_hashes_from(_still_used)
