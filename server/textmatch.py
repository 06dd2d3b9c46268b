"""Substring search in SQL, the same on SQLite and PostgreSQL: what a user types is matched
literally (their % and _ are not wildcards)."""

from __future__ import annotations

from typing import Any

ESCAPE = "\\"


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with ESCAPE as its escape character."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, text: str) -> Any:
    return column.like(f"%{escape_like(text)}%", escape=ESCAPE)
