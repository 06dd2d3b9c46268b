"""What the server holds, for devices reconciling after a lost response, and for receipts."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..api.auth import Client
from ..attachments.models import Attachment
from ..codes import normalize_code
from ..extensions import db
from ..surveys.models import Survey
from .models import Submission, SubmissionAttachment


def status_labels() -> dict[str, str]:
    return {
        "new": _("Received, waiting for review"),
        "verified": _("Reviewed"),
        "flagged": _("Under review"),
        "spam": _("Not taken into account"),
    }


def held_status(client: Client, uuids: list[uuid_module.UUID]) -> list[dict]:
    stmt = select(Submission).where(Submission.uuid.in_(set(uuids)))
    if client.channel == "device":
        stmt = stmt.where(Submission.device_id == client.device.id)
    else:
        stmt = stmt.where(Submission.survey_id == client.survey.id,
                          Submission.channel == "public")
    found = {s.uuid: s for s in db.session.scalars(stmt)}
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


@dataclass(frozen=True)
class ReceiptView:
    receipt: str
    status: str
    status_label: str
    survey_title: str
    received_at: object
    response: dict | None


def find_receipt(text: str, language: str) -> ReceiptView | None:
    code = normalize_code(text)
    if code is None:
        return None
    row = db.session.execute(select(Submission, Survey.title)
                             .join(Survey, Survey.id == Submission.survey_id)
                             .where(Submission.receipt_code == code)).first()
    if row is None:
        return None
    sub, title = row
    response = None
    if sub.response:
        lang = language if sub.response.get(language) else next(iter(sub.response))
        response = {"text": sub.response[lang], "language": lang, "responded_at": sub.responded_at}
    # spam is shown as "not taken into account" without accusing the resident
    return ReceiptView(code, sub.status, status_labels()[sub.status],
                       title.get(language) or next(iter(title.values()), ""),
                       sub.received_at, response)
