"""Temporary tables for a rebuild: one per rollup table, with the same columns and no key.
Each holds the rollups of the rebuild's snapshot with their sign turned, plus the recount;
summed by key, what is left is the difference to add to the live rollups (rebuild.py)."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, Table, func, select, true
from sqlalchemy.dialects import postgresql, sqlite

from .keys import Deltas
from .write import TABLES, key_columns

_metadata = MetaData()  # apart from the app's models: never created by a migration


def _temporary(prefix: str) -> dict[str, Table]:
    return {name: Table(f"{prefix}_{table.name}", _metadata,
                        *(Column(c.name, c.type) for c in table.columns),
                        prefixes=["TEMPORARY"])
            for name, table in TABLES}


_STAGED = _temporary("rollup_rebuild")  # the snapshot's rows turned negative, the recount
_SETTLED = _temporary("rollup_rebuild_difference")  # summed by key, the non-zero ones


def create(connection) -> list[tuple[Table, Table]]:
    """(live, temporary) pairs; the temporary tables exist, empty, on this connection."""
    pairs = []
    for name, live in TABLES:
        for temp in (_STAGED[name], _SETTLED[name]):
            temp.drop(connection, checkfirst=True)  # left by a rebuild that died here
            temp.create(connection)
        pairs.append((live, _STAGED[name]))
    return pairs


def drop(connection) -> None:
    """The temporary tables go (the connection returns to the pool and may live on)."""
    try:
        connection.rollback()
        for temp in (*_STAGED.values(), *_SETTLED.values()):
            temp.drop(connection, checkfirst=True)
        connection.commit()
    except Exception:  # noqa: BLE001 - a broken connection takes its temporary tables along
        connection.invalidate()


def take_away(connection, live: Table, temp: Table) -> None:
    """The live rows, as they are in this snapshot, with their sign turned."""
    keys = key_columns(live)
    connection.execute(temp.insert().from_select(
        [*keys, "n"], select(*(live.c[k] for k in keys), -live.c.n)))


def writer(pairs: list[tuple[Table, Table]]):
    """What `fill` writes its counts with: added rows in the temporary tables."""
    by_live = {live.name: temp for live, temp in pairs}

    def write(connection, deltas: Deltas) -> None:
        for name, live in TABLES:
            changes = getattr(deltas, name)
            rows = [(key, n) for key, n in changes.items() if n]
            if not rows:
                continue
            columns = key_columns(live)
            connection.execute(by_live[live.name].insert(),
                               [dict(zip(columns, key, strict=True), n=n) for key, n in rows])

    return write


def settle(connection, live: Table, temp: Table) -> int:
    """Sum the staged rows by key into the difference table (temporary tables only, so no
    lock on the live ones); returns how many keys differ."""
    keys = key_columns(live)
    columns = [temp.c[k] for k in keys]
    settled = _SETTLED[_name_of(live)]
    summed = (select(*columns, func.sum(temp.c.n)).group_by(*columns)
              .having(func.sum(temp.c.n) != 0))
    return connection.execute(settled.insert().from_select([*keys, "n"], summed)).rowcount


def add_difference(connection, live: Table, temp: Table) -> None:
    """Add the settled difference to the live rollups, in key order."""
    keys = key_columns(live)
    settled = _SETTLED[_name_of(live)]
    rows = (select(*(settled.c[k] for k in keys), settled.c.n)
            .where(true())  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
            .order_by(*(settled.c[k] for k in keys)))
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(live).from_select([*keys, "n"], rows)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=keys, set_={"n": live.c.n + stmt.excluded.n}))


def _name_of(live: Table) -> str:
    return next(name for name, table in TABLES if table is live)
