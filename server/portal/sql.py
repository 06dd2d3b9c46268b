"""Portable SQL for the portal's counts: the month on Peru's clock, and the days between
two timestamps, so that grouping happens in the database (few rows come back)."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class peru_month(FunctionElement):  # noqa: N801  (reads like the SQL function it stands for)
    """'YYYY-MM' of a UTC timestamp on Peru's clock (UTC-5 all year)."""

    type = String()
    inherit_cache = True


@compiles(peru_month, "sqlite")
def _peru_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '-5 hours')"


@compiles(peru_month, "postgresql")
def _peru_month_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"to_char(({column} AT TIME ZONE 'UTC') - interval '5 hours', 'YYYY-MM')"


class days_between(FunctionElement):  # noqa: N801
    """Days from the first timestamp to the second, rounded to a tenth."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"round(julianday({end}) - julianday({start}), 1)"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"round((extract(epoch from ({end} - {start})) / 86400)::numeric, 1)"
