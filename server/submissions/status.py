"""What the server holds, for devices reconciling after a lost response."""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import select

from ..api.auth import Client
from ..attachments.models import Attachment
from ..extensions import db
from . import group_commit
from .models import Submission, SubmissionAttachment


def held_status(client: Client, uuids: list[uuid_module.UUID]) -> list[dict]:
    stmt = select(Submission.id, Submission.uuid, Submission.status, Submission.receipt_code
                  ).where(Submission.uuid.in_(set(uuids)))
    if client.channel == "device":
        stmt = stmt.where(Submission.device_id == client.device.id)
    else:
        stmt = stmt.where(Submission.survey_id == client.survey.id,
                          Submission.channel == "public")
    found = {row.uuid: row for row in db.session.execute(stmt)}
    if found:  # another request's commit may still be waiting for its sync (group_commit.py)
        group_commit.settle_reads(db.session.connection())
    missing = _missing_by_submission([s.id for s in found.values()])
    out = []
    for uid in uuids:
        sub = found.get(uid)
        out.append({
            "uuid": str(uid), "held": sub is not None,
            "status": sub.status if sub else None,
            "receipt": sub.receipt_code if sub else None,
            "missing_attachments": missing.get(sub.id, []) if sub else [],
        })
    return out


def _missing_by_submission(ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(SubmissionAttachment.submission_id, SubmissionAttachment.sha256)
        .outerjoin(Attachment, Attachment.sha256 == SubmissionAttachment.sha256)
        .where(SubmissionAttachment.submission_id.in_(ids), Attachment.sha256.is_(None)))
    result: dict[int, list[str]] = {}
    for sub_id, sha in rows:
        result.setdefault(sub_id, []).append(sha)
    return result
