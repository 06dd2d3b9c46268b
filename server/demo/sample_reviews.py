"""The coordinator's pass over a demo region's sample feedback, through the real review
services (audited), so the console and the portal show answered shares, answer times and
answers that lead to a public update."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from ..extensions import db
from ..plans.models import Project
from ..portal.models import PublicUpdate, UpdateAnswer
from ..review.services import change_status, reply
from ..submissions.models import Submission, SubmissionReview
from ..users.models import User


def review_samples(rng: random.Random, arrivals: dict[str, datetime], now: datetime,
                   coordinator: User, replies: list[dict[str, str]]) -> None:
    """Answer about half of what is older than two days (pointing the resident to the
    project's latest public update where there is one), verify, flag or discard some; each
    review is moved back to when it would have happened."""
    latest_update = _latest_update_per_project()
    rows = db.session.execute(select(Submission.id, Submission.uuid, Submission.project_code)
                              .where(Submission.uuid.in_([uuid.UUID(u) for u in arrivals]))
                              .order_by(Submission.id)).all()
    for submission_id, sub_uuid, project in rows:
        received = arrivals[str(sub_uuid)]
        if now - received < timedelta(days=2):
            continue  # still waiting for a first look
        luck = rng.random()
        if luck < 0.5:
            reply(submission_id, rng.choice(replies), coordinator)
            answered = min(now, received + timedelta(days=rng.uniform(0.5, 14)))
            _backdate(submission_id, answered, responded=True)
            if project in latest_update:
                db.session.add(UpdateAnswer(submission_id=submission_id,
                                            update_id=latest_update[project]))
                db.session.commit()
        elif luck < 0.68:
            change_status(submission_id, "verified", "", coordinator)
            _backdate(submission_id, min(now, received + timedelta(days=rng.uniform(0.5, 5))))
        elif luck < 0.72:
            change_status(submission_id, "flagged", "Revisar en la visita de campo.",
                          coordinator)
            _backdate(submission_id, min(now, received + timedelta(days=rng.uniform(0.5, 5))))
        elif luck < 0.74:
            change_status(submission_id, "spam", "", coordinator)
            _backdate(submission_id, min(now, received + timedelta(days=rng.uniform(0.5, 3))))


def _latest_update_per_project() -> dict[str, int]:
    rows = db.session.execute(select(Project.code, PublicUpdate.id).join(
        PublicUpdate, PublicUpdate.project_id == Project.id).order_by(PublicUpdate.on_date))
    return dict(rows.all())  # later dates overwrite earlier ones


def _backdate(submission_id: int, at: datetime, *, responded: bool = False) -> None:
    """Move the review (and reply) made just now to when it would have happened."""
    values: dict[str, Any] = {"reviewed_at": at}
    if responded:
        values["responded_at"] = at
    db.session.execute(update(Submission).where(Submission.id == submission_id).values(**values))
    db.session.execute(update(SubmissionReview).where(
        SubmissionReview.submission_id == submission_id).values(at=at))
    db.session.commit()
