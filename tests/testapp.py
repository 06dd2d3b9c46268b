"""Building a test app on the test database, and emptying that database again (used by
tests/conftest.py and by folders with their own long-lived servers, e.g. tests/e2e_forms)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text

from server import create_app
from server.extensions import db

KEEP_TABLES = {"places", "alembic_version"}


def reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        # tests don't wait for the WAL flush at each commit (only a PostgreSQL crash could lose one)
        name = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()


def make_app(database_url: str, tmp_path: Path, **willay) -> object:
    settings = {
        "DATABASE_URL": database_url,
        "MEDIA_DIR": str(tmp_path / "media"),
        "SECRET_KEY": "test-secret",
        "RATELIMIT_PAIRING": "1000 per minute",
        "RATELIMIT_RECEIPTS": "1000 per minute",
        "RATELIMIT_PUBLIC_UPLOADS": "1000 per minute",
        # a cheap scrypt for the hundreds of test accounts (production: 32768, in config.py)
        "PASSWORD_HASH": "scrypt:1024:8:1",
        # no fsync at each commit in tests (WAL keeps the file consistent; only a power cut
        # could lose the last commits); SQLITE_SYNCHRONOUS=None keeps the product's default
        "SQLITE_SYNCHRONOUS": "NORMAL",
        **willay,
    }
    if settings["SQLITE_SYNCHRONOUS"] is None:
        del settings["SQLITE_SYNCHRONOUS"]
    os.environ["WILLAY_INSTANCE_DIR"] = str(tmp_path / "instance")
    return create_app({"TESTING": True, "WILLAY": settings})


def clean(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    conn.execute(table.delete())
        db.engine.dispose()
