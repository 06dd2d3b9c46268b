"""Adds deltas to the rollup tables with one INSERT … ON CONFLICT DO UPDATE per table
(SQLite and PostgreSQL spell it the same). Rows go in key order, so two transactions
touching the same counts wait for each other instead of deadlocking."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from .keys import Deltas
from .models import SubmissionAnswerDelay, SubmissionRatingRollup, SubmissionRollup

TABLES: tuple[tuple[str, Table], ...] = (
    ("counts", SubmissionRollup.__table__),  # type: ignore[arg-type]
    ("ratings", SubmissionRatingRollup.__table__),  # type: ignore[arg-type]
    ("delays", SubmissionAnswerDelay.__table__),  # type: ignore[arg-type]
)
_statements: dict[tuple[str, str], object] = {}


def _upsert(dialect: str, table: Table):
    key = (dialect, table.name)
    if key not in _statements:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(table)
        keys = [c for c in table.primary_key.columns]
        _statements[key] = stmt.on_conflict_do_update(
            index_elements=keys, set_={"n": table.c.n + stmt.excluded.n})
    return _statements[key]


def key_columns(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def apply(connection, deltas: Deltas) -> None:
    dialect = connection.dialect.name
    for name, table in TABLES:
        changes = getattr(deltas, name)
        rows = sorted((key, n) for key, n in changes.items() if n)
        if not rows:
            continue
        columns = key_columns(table)
        connection.execute(_upsert(dialect, table),
                           [dict(zip(columns, key, strict=True), n=n) for key, n in rows])
