"""Which stored files a console user may open: only those of submissions (or of conflicting
payloads of submissions) inside the user's areas."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..attachments.models import Attachment
from ..extensions import db
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission, SubmissionAttachment
from .conflicts import get_conflict


def visible_attachment(sha256: str, areas: tuple[str, ...],
                       conflict_id: int | None = None) -> Attachment | None:
    if conflict_id is not None:
        row = get_conflict(conflict_id, areas)
        listed = row is not None and sha256 in (row.conflict.payload or {}).get(
            "attachments", [])
        if not listed:
            return None
    else:
        linked = SubmissionFilter(areas=areas).apply(
            select(SubmissionAttachment.sha256)
            .join(Submission, Submission.id == SubmissionAttachment.submission_id)
            .where(SubmissionAttachment.sha256 == sha256))
        if not db.session.scalar(select(exists(linked))):
            return None
    return db.session.get(Attachment, sha256)
