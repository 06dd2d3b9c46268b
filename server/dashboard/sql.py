"""Portable SQL pieces whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class utc_hour(FunctionElement):  # noqa: N801  (reads like the SQL function it stands for)
    """The UTC hour a timestamp falls in. Grouping by hour and shifting to Peru's calendar
    day in Python keeps the SQL cheap (no time-zone maths per row) and the same on both
    databases; Peru's offset is a whole number of hours, so no day is split wrongly."""

    type = String()  # SQLite's text; PostgreSQL returns a timestamp, parse_utc_hour takes both
    inherit_cache = True


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element, compiler, **kw):
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(utc_hour, "postgresql")
def _utc_hour_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"date_trunc('hour', {column} AT TIME ZONE 'UTC')"


def parse_utc_hour(value: str | datetime) -> datetime:
    """A naive UTC datetime from either database's result."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.strptime(value, "%Y-%m-%d %H")
