"""Portable SQL for rebuilding rollups in the database: a timestamp's Peru calendar day and
the tenths of a day between two timestamps (rounded half away from zero, like keys.py)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class peru_date(FunctionElement):  # noqa: N801  (reads like the SQL function it stands for)
    type = String()  # 'YYYY-MM-DD' on SQLite, a date on PostgreSQL: keys.as_date takes both
    inherit_cache = True


@compiles(peru_date, "sqlite")
def _peru_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '-5 hours')"


@compiles(peru_date, "postgresql")
def _peru_date_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"CAST(({column} AT TIME ZONE 'UTC') - interval '5 hours' AS date)"


class tenths_between(FunctionElement):  # noqa: N801
    type = Integer()
    inherit_cache = True


@compiles(tenths_between, "sqlite")
def _tenths_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (f"CAST(round((strftime('%s', {end}) - strftime('%s', {start}) "
            f"+ (substr({end} || '.000000', 21, 6) - substr({start} || '.000000', 21, 6)) "
            f"/ 1000000.0) / 8640.0) AS INTEGER)")


@compiles(tenths_between, "postgresql")
def _tenths_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round(extract(epoch from ({end} - {start})) / 8640) AS INTEGER)"
