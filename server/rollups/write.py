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


def rows_of(deltas: Deltas, name: str, table: Table) -> list[dict]:
    """The non-zero changes of one table as rows (column names to values), in key order."""
    columns = key_columns(table)
    return [dict(zip(columns, key, strict=True), n=n)
            for key, n in sorted(getattr(deltas, name).items()) if n]


def apply(connection, deltas: Deltas) -> None:
    dialect = connection.dialect.name
    for name, table in TABLES:
        rows = rows_of(deltas, name, table)
        if rows:
            connection.execute(_upsert(dialect, table), rows)
