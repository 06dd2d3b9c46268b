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
    visible_link = db.session.scalar(select(exists(SubmissionFilter(areas=areas).apply(
        select(SubmissionAttachment.sha256)
        .join(Submission, Submission.id == SubmissionAttachment.submission_id)
        .where(SubmissionAttachment.sha256 == sha256)))))
    if conflict_id is not None:
        row = get_conflict(conflict_id, areas)
        listed = row is not None and sha256 in (row.conflict.payload or {}).get(
            "attachments", [])
        # a conflicting payload may list any file: one that belongs to a submission the
        # user may not see stays hidden, whatever the payload says
        any_link = db.session.scalar(select(exists().where(
            SubmissionAttachment.sha256 == sha256)))
        if not listed or (any_link and not visible_link):
            return None
    elif not visible_link:
        return None
    return db.session.get(Attachment, sha256)
