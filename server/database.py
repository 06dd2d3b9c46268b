"""Engine set-up: SQLite gets WAL, a synchronous level, foreign keys and a busy timeout on
every connection."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db
from .submissions import group_commit


def _sqlite_pragmas(synchronous: str):
    # WAL with synchronous=FULL syncs the log at every commit: a commit the API reported is
    # on disk before the answer leaves (NORMAL only syncs at checkpoints, so a power cut or
    # an OS crash could undo the last commits after the phone deleted them)
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return on_connect


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            synchronous = app.config["WILLAY"]["SQLITE_SYNCHRONOUS"]  # checked in config.py
            event.listen(engine, "connect", _sqlite_pragmas(synchronous))
            group_commit.init_engine(engine)  # ingest's deferred syncs never leak
