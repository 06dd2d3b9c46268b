"""Content built once per test process and copied back for every later test that wants the
same (the demo, the demo with its sample feedback). Building the demo through its services
costs 0.1-0.3 s a test, the samples seconds; copying the rows back costs a few ms.

A copy is taken and put back only into an empty database (every table but the places),
and is kept per name and per app settings (paths under the temporary folder aside), so a
test with other settings builds its own. The rows go through the column types both ways,
so dates, JSON and encrypted personal data come back as the services wrote them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from sqlalchemy import literal, select, union_all

from server.extensions import db

KEEP_TABLES = {"places", "alembic_version"}
_TMP = tempfile.gettempdir()
_saved: dict[tuple, dict[str, list[dict]]] = {}


def _key(app, name: str) -> tuple:
    settings = app.config["WILLAY"]
    return (name, *sorted((k, repr(v)) for k, v in settings.items()
                          if not (isinstance(v, str) and v.startswith(_TMP))))


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]


def _empty() -> bool:
    probes = [select(literal(1)).select_from(t).limit(1).subquery().select() for t in _tables()]
    return db.session.execute(union_all(*probes).limit(1)).first() is None


def load(app, name: str, build: Callable[[], object]) -> bool:
    """Inside an app context: the content `build` makes, from the copy when there is one.
    True when it came from the copy."""
    key = _key(app, name)
    empty = _empty()
    db.session.rollback()
    if empty and key in _saved:
        with db.engine.begin() as conn:
            for table in _tables():
                rows = _saved[key].get(table.name)
                if rows:
                    conn.execute(table.insert(), rows)
        return True
    build()
    db.session.commit()
    if empty:
        with db.engine.connect() as conn:
            _saved[key] = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                           for t in _tables()}
    return False


def _demo_and_samples() -> None:
    from server.demo.loader import load_demo
    from server.demo.samples import load_samples

    load_demo()
    load_samples()


def demo_and_samples(app) -> bool:
    """Inside an app context: the demo with its ~200 sample submissions."""
    return load(app, "demo+samples", _demo_and_samples)
