"""Review state changes and replies to residents: one transaction each, audited."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db
from ..sms.replies import queue_reply as queue_sms_reply
from ..submissions.models import Submission, SubmissionReview
from ..users.models import User

# every channel: the coordinators' own judgement of a submission
REVIEW_STATES = ("new", "verified", "flagged", "spam")
# resident feedback (channel "public") can also be answered and closed
RESIDENT_CHANNELS = ("public", "sms")  # sms: feedback by SMS (server/sms)
RESIDENT_STATES = REVIEW_STATES + ("answered", "closed")
REPLY_LANGUAGES = ("es", "qu")


class ReviewRefused(Exception):
    """A review step that is not possible; the message is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def allowed_states(submission: Submission) -> tuple[str, ...]:
    return RESIDENT_STATES if submission.channel in RESIDENT_CHANNELS else REVIEW_STATES


def can_reply(submission: Submission) -> bool:
    """Only residents who sent feedback through a public link read replies (their receipt)."""
    return submission.channel in RESIDENT_CHANNELS


def _locked(submission_id: int) -> Submission:
    # FOR UPDATE: two coordinators acting at once each record the true "from" state
    submission = db.session.scalar(
        select(Submission).where(Submission.id == submission_id).with_for_update())
    if submission is None:
        raise ReviewRefused(_("This submission no longer exists."))
    return submission


def _step(submission: Submission, to_status: str, comment: str, user: Any) -> SubmissionReview:
    now = utcnow()
    step = SubmissionReview(submission_id=submission.id, user_id=getattr(user, "id", None),
                            from_status=submission.status, to_status=to_status,
                            comment=comment, at=now)
    db.session.add(step)
    submission.status = to_status
    submission.reviewed_by_id = getattr(user, "id", None)
    submission.reviewed_at = now
    return step


def change_status(submission_id: int, to_status: str, comment: str, user: Any) -> Submission:
    """Move a submission to another review state, with an optional comment."""
    try:
        submission = _locked(submission_id)
        if to_status not in allowed_states(submission):
            raise ReviewRefused(_("This state is not available for this submission."))
        if to_status == submission.status and not comment.strip():
            # the same state with a comment is a note in the history (the form preselects
            # the current state, so a comment alone never moves the item backwards)
            raise ReviewRefused(_("The submission is already in this state."))
        step = _step(submission, to_status, comment.strip(), user)
        record("review", user=user, target=f"submission:{submission.uuid}", details={
            "submission": submission.id, "from": step.from_status, "to": to_status,
            "comment": step.comment})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return submission


def reply(submission_id: int, texts: dict[str, str], user: Any) -> Submission:
    """Give (or change) the answer a resident reads on their receipt page, in es and/or qu.
    The feedback becomes "answered", unless a coordinator already closed it."""
    try:
        submission = _locked(submission_id)
        if not can_reply(submission):
            raise ReviewRefused(_("Only feedback sent by residents can be answered."))
        response = {lang: texts[lang].strip() for lang in REPLY_LANGUAGES
                    if texts.get(lang, "").strip()}
        if not response:
            raise ReviewRefused(_("Write the reply in Spanish, in Quechua or in both."))
        submission.response = response
        submission.responded_at = utcnow()
        submission.responded_by_id = getattr(user, "id", None)
        if submission.status not in ("answered", "closed"):
            _step(submission, "answered", "", user)
        record("reply", user=user, target=f"submission:{submission.uuid}", details={
            "submission": submission.id, "languages": sorted(response),
            "status": submission.status, "reply": response})
        queue_sms_reply(submission)  # feedback that came by SMS: the reply goes back by SMS
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return submission


def review_history(submission_id: int) -> list[tuple[SubmissionReview, str]]:
    """The review steps, oldest first, each with the name of who took it."""
    rows = db.session.execute(
        select(SubmissionReview, User.name, User.email)
        .outerjoin(User, User.id == SubmissionReview.user_id)
        .where(SubmissionReview.submission_id == submission_id)
        .order_by(SubmissionReview.at, SubmissionReview.id))
    return [(step, name or email or "") for step, name, email in rows]
