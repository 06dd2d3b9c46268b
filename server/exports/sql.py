"""Formatting done by the database, in C, rather than a million times in Python: timestamps
as ISO 8601 in Peru's time and UUIDs in their usual dashed form (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class peru_iso(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """A UTC timestamp as text: 2026-11-20T14:20:00-05:00 (Peru keeps UTC-5 all year)."""

    type = String()
    inherit_cache = True


class uuid_text(FunctionElement):  # noqa: N801
    """A UUID as text with dashes, as written everywhere else."""

    type = String()
    inherit_cache = True


@compiles(peru_iso, "sqlite")
def _peru_iso_sqlite(element: peru_iso, compiler: Any, **kw: Any) -> str:
    # SQLite keeps naive UTC text ("2026-11-20 19:20:00.000000")
    return ("strftime('%Y-%m-%dT%H:%M:%S-05:00', "
            f"{compiler.process(element.clauses, **kw)}, '-5 hours')")


@compiles(peru_iso, "postgresql")
def _peru_iso_postgresql(element: peru_iso, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return (f"to_char(({column}) AT TIME ZONE 'UTC' - interval '5 hours', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"-05:00\"')")


@compiles(uuid_text, "sqlite")
def _uuid_text_sqlite(element: uuid_text, compiler: Any, **kw: Any) -> str:
    # SQLite keeps 32 hex digits
    u = compiler.process(element.clauses, **kw)
    return (f"substr({u}, 1, 8) || '-' || substr({u}, 9, 4) || '-' || substr({u}, 13, 4) "
            f"|| '-' || substr({u}, 17, 4) || '-' || substr({u}, 21)")


@compiles(uuid_text, "postgresql")
def _uuid_text_postgresql(element: uuid_text, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"
