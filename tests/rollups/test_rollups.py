"""The rollups equal a recomputation from the raw submissions after any mix of ingests,
reviews, replies, re-assignments, back-dating and deletes (a property test, run on SQLite
and on PostgreSQL), and a rebuild gives the same tables."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rollups.rollupkit import TABLES, recomputed, stored
from sqlalchemy import delete, select, update

from server.api.auth import Client
from server.demo.samples import PROJECTS
from server.extensions import db
from server.review.services import change_status, reply
from server.rollups.rebuild import rebuild
from server.submissions.ingest import ingest
from server.submissions.models import Submission, SubmissionReview
from server.surveys.services import get_survey

STATES = ("new", "verified", "flagged", "spam", "answered", "closed")
DISTRICTS = ("180101", "180102", "180201", "180301", "180303")


def _item(rng_choice: dict) -> dict:
    project = rng_choice["project"]
    theme, districts = PROJECTS[project] if project else ("water", list(DISTRICTS))
    answers = {"theme": theme, "district": districts[rng_choice["district"] % len(districts)],
               "consent": "no"}
    if rng_choice["rating"]:
        answers["rating"] = rng_choice["rating"]
    if project:
        answers["project"] = project
    return {"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
            "answers": answers, "meta": {"language": "es"}}


ingest_op = st.fixed_dictionaries({
    "op": st.just("ingest"), "project": st.sampled_from([None, *sorted(PROJECTS)]),
    "district": st.integers(0, 4), "rating": st.sampled_from([None, 1, 2, 3, 4, 5]),
    "count": st.integers(1, 3)})
review_op = st.fixed_dictionaries({"op": st.just("review"), "pick": st.integers(0, 50),
                                   "to": st.sampled_from(STATES)})
reply_op = st.fixed_dictionaries({"op": st.just("reply"), "pick": st.integers(0, 50)})
move_op = st.fixed_dictionaries({
    "op": st.just("move"), "pick": st.integers(0, 50),
    "project": st.sampled_from([None, *sorted(PROJECTS)]),
    "theme": st.sampled_from([None, "water", "services"]),
    "district": st.sampled_from(DISTRICTS)})
backdate_op = st.fixed_dictionaries({"op": st.just("backdate"), "pick": st.integers(0, 50),
                                     "hours": st.integers(1, 24 * 70)})
delete_op = st.fixed_dictionaries({"op": st.just("delete"), "pick": st.integers(0, 50)})
operations = st.lists(st.one_of(ingest_op, review_op, reply_op, move_op, backdate_op,
                                delete_op), min_size=1, max_size=12)


def _picked(pick: int) -> Submission | None:
    ids = list(db.session.scalars(select(Submission.id).order_by(Submission.id)))
    return db.session.get(Submission, ids[pick % len(ids)]) if ids else None


def run(op: dict) -> None:
    if op["op"] == "ingest":
        public = Client("public", survey=get_survey("moq-feedback"))
        ingest(public, [_item(op) for _ in range(op["count"])], "es")
        return
    submission = _picked(op["pick"])
    if submission is None:
        return
    if op["op"] == "review":
        if submission.status != op["to"]:
            change_status(submission.id, op["to"], "", None)
    elif op["op"] == "reply":
        reply(submission.id, {"es": "Gracias, ya lo vimos."}, None)
    elif op["op"] == "move":  # a coordinator puts the item under another project and place
        submission.project_code = op["project"]
        submission.theme_code = op["theme"]
        submission.district_ubigeo = op["district"]
        db.session.commit()
    elif op["op"] == "backdate":  # as the demo does: an ORM UPDATE statement
        db.session.execute(update(Submission).where(Submission.id == submission.id).values(
            received_at=submission.received_at - timedelta(hours=op["hours"])))
        db.session.commit()
    else:
        db.session.delete(submission)
        db.session.commit()


def _empty() -> None:
    db.session.execute(delete(SubmissionReview))
    for submission in db.session.scalars(select(Submission)):
        db.session.delete(submission)
    db.session.commit()
    for _name, model in TABLES:
        db.session.execute(delete(model))
    db.session.commit()


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_rollups_equal_a_recomputation_after_any_changes(app, demo, ops):
    with app.app_context():
        _empty()
        for op in ops:
            run(op)
            db.session.remove()
        expected = recomputed()
        assert stored() == expected
        rebuild()
        assert stored() == expected


def test_a_rebuild_repairs_rollups_written_around(app, demo):
    """A raw UPDATE on a connection bypasses the hooks; `rebuild` puts the counts right."""
    with app.app_context():
        public = Client("public", survey=get_survey("moq-feedback"))
        ingest(public, [_item({"project": None, "district": 0, "rating": 4})
                        for _ in range(3)], "es")
        with db.engine.begin() as conn:
            conn.execute(Submission.__table__.update().values(status="verified"))
        assert stored() != recomputed()
        assert rebuild() == 3
        assert stored() == recomputed()
        assert {key[6] for key in stored()["counts"] if key[0] != "p"} == {"verified"}
