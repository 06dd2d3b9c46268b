"""Temporary tables for a rebuild: one per rollup table, with the same columns and no key.
Each holds the rollups of the rebuild's snapshot with their sign turned, plus the recount;
summed by key, what is left is the difference to add to the live rollups (rebuild.py)."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, Table, func, select, true
from sqlalchemy.dialects import postgresql, sqlite

from .keys import Deltas
from .write import TABLES, key_columns, rows_of

_metadata = MetaData()  # apart from the app's models: never created by a migration


def _temporary(prefix: str) -> dict[str, Table]:
    return {name: Table(f"{prefix}_{table.name}", _metadata,
                        *(Column(c.name, c.type) for c in table.columns),
                        prefixes=["TEMPORARY"])
            for name, table in TABLES}


_STAGED = _temporary("rollup_rebuild")  # the snapshot's rows turned negative, the recount
_SETTLED = _temporary("rollup_rebuild_difference")  # summed by key, the non-zero ones


def create(connection) -> None:
    """The temporary tables exist, empty, on this connection."""
    for temp in (*_STAGED.values(), *_SETTLED.values()):
        temp.drop(connection, checkfirst=True)  # left by a rebuild that died here
        temp.create(connection)


def drop(connection) -> None:
    """The temporary tables go (the connection returns to the pool and may live on)."""
    try:
        connection.rollback()
        for temp in (*_STAGED.values(), *_SETTLED.values()):
            temp.drop(connection, checkfirst=True)
        connection.commit()
    except Exception:  # noqa: BLE001 - a broken connection takes its temporary tables along
        connection.invalidate()


def take_away(connection, name: str, live: Table) -> None:
    """The live rows, as they are in this snapshot, with their sign turned."""
    keys = key_columns(live)
    connection.execute(_STAGED[name].insert().from_select(
        [*keys, "n"], select(*(live.c[k] for k in keys), -live.c.n)))


def write(connection, deltas: Deltas) -> None:
    """What `fill` writes its counts with: added rows in the temporary tables."""
    for name, live in TABLES:
        rows = rows_of(deltas, name, live)
        if rows:
            connection.execute(_STAGED[name].insert(), rows)


def settle(connection, name: str, live: Table) -> None:
    """Sum the staged rows by key into the difference table (temporary tables only, so no
    lock on the live ones)."""
    keys = key_columns(live)
    staged = _STAGED[name]
    columns = [staged.c[k] for k in keys]
    summed = (select(*columns, func.sum(staged.c.n)).group_by(*columns)
              .having(func.sum(staged.c.n) != 0))
    connection.execute(_SETTLED[name].insert().from_select([*keys, "n"], summed))


def add_difference(connection, name: str, live: Table) -> None:
    """Add the settled difference to the live rollups, in key order."""
    keys = key_columns(live)
    settled = _SETTLED[name]
    rows = (select(*(settled.c[k] for k in keys), settled.c.n)
            .where(true())  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
            .order_by(*(settled.c[k] for k in keys)))
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(live).from_select([*keys, "n"], rows)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=keys, set_={"n": live.c.n + stmt.excluded.n}))
