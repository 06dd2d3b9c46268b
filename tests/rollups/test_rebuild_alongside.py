"""A rebuild counts in a snapshot and writes only a short difference: phones' submissions
and coordinators' reviews made while it counts go through at once, and the rollups come out
exact (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid

from rollups.rollupkit import recomputed, stored
from sqlalchemy import select

from server.api.auth import Client
from server.extensions import db
from server.review.services import change_status
from server.rollups.rebuild import rebuild
from server.submissions.ingest import ingest
from server.submissions.models import Submission
from server.surveys.services import get_survey


def _items(n: int, rating: int) -> list[dict]:
    return [{"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
             "answers": {"theme": "water", "district": "180101", "consent": "no",
                         "rating": rating}, "meta": {"language": "es"}} for _ in range(n)]


def _send(n: int, rating: int) -> None:
    ingest(Client("public", survey=get_survey("moq-feedback")), _items(n, rating), "es")


def test_work_done_while_the_rebuild_counts_is_not_held_up_and_stays_counted(app, demo):
    with app.app_context():
        _send(6, 4)
        with db.engine.begin() as conn:  # around the hooks: only a rebuild puts this right
            conn.execute(Submission.__table__.update().values(status="flagged"))
        assert stored() != recomputed()
        first = db.session.scalar(select(Submission.id).order_by(Submission.id))
        db.session.remove()

    waited: list[float] = []

    def meanwhile() -> None:
        started = time.monotonic()
        with app.app_context():
            _send(3, 2)  # a phone syncs
            change_status(first, "verified", "", None)  # a coordinator reviews
            db.session.remove()
        waited.append(time.monotonic() - started)

    def progress(done: int, total: int) -> None:
        if waited or not done:  # once, after the first survey version is counted
            return
        worker = threading.Thread(target=meanwhile)
        worker.start()
        worker.join(20)
        assert waited, "a sync and a review waited for the rebuild to finish counting"

    with app.app_context():
        assert rebuild(progress) == 6  # the snapshot's submissions
        assert waited and waited[0] < 10
        assert stored() == recomputed()
        counts = stored()["counts"]
        assert sum(n for key, n in counts.items() if key[0] == "m") == 9
        assert sum(n for key, n in counts.items()
                   if key[0] == "m" and key[6] == "verified") == 1


def test_a_rebuild_leaves_no_zero_rows_and_no_temporary_tables(app, demo):
    with app.app_context():
        _send(2, 5)
        for sid in db.session.scalars(select(Submission.id)).all():
            change_status(sid, "verified", "", None)  # the "new" rows fall to 0
        rebuild()
        rebuild()  # a second one on the same pooled connection finds nothing left over
        assert stored() == recomputed()
        from server.rollups.models import SubmissionRollup

        assert db.session.scalar(select(SubmissionRollup.n).where(
            SubmissionRollup.n == 0).limit(1)) is None
        db.session.remove()


def test_progress_moves_within_one_survey_version(app, demo, monkeypatch):
    """The count goes span of days by span of days, so a programme with one survey version
    of a million submissions sees its progress bar move (here a span per submission)."""
    from datetime import timedelta

    from sqlalchemy import update

    from server.rollups import rebuild as rebuild_module

    monkeypatch.setattr(rebuild_module, "CHUNK_ROWS", 1)
    with app.app_context():
        _send(7, 3)
        for back, sid in enumerate(db.session.scalars(select(Submission.id)).all()):
            sub = db.session.get(Submission, sid)
            db.session.execute(update(Submission).where(Submission.id == sid).values(
                received_at=sub.received_at - timedelta(days=3 * back)))  # 0..18 days ago
            db.session.commit()
        assert stored() == recomputed()
        told: list[tuple[int, int]] = []
        assert rebuild(lambda done, total: told.append((done, total))) == 7
        assert told[0] == (0, 7) and told[-1] == (7, 7)
        steps = [done for done, _total in told]
        assert steps == sorted(steps) and len(set(steps)) >= 5, told
        assert stored() == recomputed()
        db.session.remove()
