"""Keeps the rollups exact in the transaction that changes a submission, whatever the path:

- the ingest's Core INSERT calls `record_inserted` with the rows it wrote;
- ORM changes (review, reply, re-assignment, deletes) are seen at flush: before it the
  old values (attribute history), after it the new ones;
- ORM-enabled UPDATE/DELETE statements on submissions (`session.execute(update(...))`) read
  the keys of the rows they touch before and after running.

Other writes (raw SQL, Core statements on a connection) must call `willay rollups rebuild`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..submissions.models import Submission
from .keys import ATTRIBUTES, Deltas, version_questions
from .write import apply

_PENDING = "willay_rollup_old_states"
_COLUMNS = [getattr(Submission, name) for name in ATTRIBUTES]


def record_inserted(connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Rows just inserted with Core (each holds every attribute in ATTRIBUTES)."""
    rows = list(rows)
    if not rows:
        return
    deltas = Deltas()
    questions = version_questions(connection, {r["version_id"] for r in rows})
    for row in rows:
        deltas.add(row, 1, questions.get(row["version_id"], ()))
    apply(connection, deltas)


def _old_state(obj: Submission) -> dict[str, Any]:
    attrs = inspect(obj).attrs
    state = {}
    for name in ATTRIBUTES:
        history = attrs[name].history
        if history.deleted:
            state[name] = history.deleted[0]
        elif history.unchanged:
            state[name] = history.unchanged[0]
        else:
            state[name] = getattr(obj, name)
    return state


def _new_state(obj: Submission) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in ATTRIBUTES}


def _changed(obj: Submission) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in ATTRIBUTES)


def _before_flush(session: Session, _context, _instances) -> None:
    old: list[tuple[dict, Submission | None]] = []
    for obj in session.dirty:
        if isinstance(obj, Submission) and inspect(obj).persistent and _changed(obj):
            old.append((_old_state(obj), obj))
    for obj in session.deleted:
        if isinstance(obj, Submission) and inspect(obj).persistent:
            old.append((_old_state(obj), None))
    new = [obj for obj in session.new if isinstance(obj, Submission)]
    session.info[_PENDING] = (old, new)


def _after_flush(session: Session, _context) -> None:
    old, new = session.info.pop(_PENDING, ([], []))
    if not old and not new:
        return
    before = [state for state, _obj in old]
    after = [_new_state(obj) for _state, obj in old if obj is not None]
    after += [_new_state(obj) for obj in new]
    _write(session.connection(), before, after)


def _write(connection, before: list[Mapping], after: list[Mapping]) -> None:
    states = [*before, *after]
    if not states:
        return
    questions = version_questions(connection, {s["version_id"] for s in states})
    deltas = Deltas()
    for state in before:
        deltas.add(state, -1, questions.get(state["version_id"], ()))
    for state in after:
        deltas.add(state, 1, questions.get(state["version_id"], ()))
    if deltas:
        apply(connection, deltas)


def _touches_submissions(orm_execute_state) -> bool:
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return False
    mapper = orm_execute_state.bind_mapper
    return mapper is not None and mapper.class_ is Submission


def _states(session: Session, where) -> dict[int, dict]:
    stmt = select(Submission.id, *_COLUMNS)
    if where is not None:
        stmt = stmt.where(where)
    return {row[0]: dict(zip(ATTRIBUTES, row[1:], strict=True))
            for row in session.connection().execute(stmt)}


def _do_orm_execute(orm_execute_state):
    if not _touches_submissions(orm_execute_state):
        return None
    session = orm_execute_state.session
    where = orm_execute_state.statement.whereclause
    before = _states(session, where)
    result = orm_execute_state.invoke_statement()
    after = {}
    if before and orm_execute_state.is_update:
        after = _states(session, Submission.id.in_(list(before)))
    _write(session.connection(), list(before.values()), list(after.values()))
    return result


def init_app(app) -> None:
    if getattr(init_app, "done", False):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _do_orm_execute)
    init_app.done = True  # type: ignore[attr-defined]
