"""A resident's receipt: the status of their feedback and any answer, in their language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..codes import normalize_code
from ..extensions import db
from ..surveys.models import Survey
from .models import Submission


def status_labels() -> dict[str, str]:
    return {
        "new": _("Received, waiting for review"),
        "verified": _("Reviewed"),
        "flagged": _("Under review"),
        "spam": _("Not taken into account"),
        "answered": _("Answered: read the reply"),
        "closed": _("Closed: we finished attending to it"),
    }


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
