"""A coordinator's reply to feedback that came by SMS goes back to the resident's phone."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..submissions.models import Submission
from . import texts
from .models import SmsContact, SmsConversation
from .outbox import enqueue


def _reachable(submission: Submission):
    """The conversation's number and language, when that number may still get messages."""
    if submission.channel != "sms":
        return None
    row = db.session.execute(
        select(SmsConversation.number_hash, SmsConversation.language, SmsContact.opted_out_at,
               SmsContact.blocked_at)
        .join(SmsContact, SmsContact.number_hash == SmsConversation.number_hash)
        .where(SmsConversation.submission_uuid == submission.uuid)).first()
    if row is None or row.opted_out_at is not None or row.blocked_at is not None:
        return None
    return row


def reply_language(submission: Submission) -> str | None:
    """The language a reply reaches the resident's phone in; None when it would not be
    sent by SMS (not an SMS submission, or the number opted out or was blocked)."""
    row = _reachable(submission)
    return row.language if row is not None else None


def queue_reply(submission: Submission) -> bool:
    """Queue the reply in the caller's transaction; False when there is nobody to send to
    (not an SMS submission, or the number opted out or was blocked)."""
    if not submission.response:
        return False
    row = _reachable(submission)
    if row is None:
        return False
    language = row.language if row.language in submission.response else \
        next(iter(submission.response))
    text = texts.in_language(row.language, lambda: texts.reply_text(
        submission.receipt_code, submission.response[language]))
    enqueue(row.number_hash, text, "reply", submission_id=submission.id)
    return True
