"""Reading the rollup tables, and what the raw submissions say they should hold."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from server.extensions import db
from server.rollups.keys import ATTRIBUTES, Deltas, version_questions
from server.rollups.models import SubmissionAnswerDelay, SubmissionRatingRollup, SubmissionRollup
from server.rollups.write import key_columns
from server.submissions.models import Submission

TABLES = (("counts", SubmissionRollup), ("ratings", SubmissionRatingRollup),
          ("delays", SubmissionAnswerDelay))


def recomputed() -> dict[str, Counter]:
    """The rollups as the raw submissions say they should be."""
    rows = db.session.execute(select(*(getattr(Submission, a) for a in ATTRIBUTES))).all()
    questions = version_questions(db.session.connection(), {r.version_id for r in rows})
    deltas = Deltas()
    for row in rows:
        deltas.add(dict(zip(ATTRIBUTES, row, strict=True)), 1, questions[row.version_id])
    return {name: +getattr(deltas, name) for name, _model in TABLES}


def stored() -> dict[str, Counter]:
    out = {}
    for name, model in TABLES:
        table = model.__table__
        columns = [table.c[c] for c in key_columns(table)]
        found = Counter()
        for *key, n in db.session.execute(select(*columns, table.c.n)):
            assert n >= 0, (name, key, n)
            if n:
                found[tuple(key)] = n
        out[name] = found
    db.session.rollback()
    return out
