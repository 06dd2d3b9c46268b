"""Migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from server import (
    create_app,
    models,  # noqa: F401
)
from server.extensions import db

PG_URL = os.environ.get("WILLAY_TEST_DATABASE_URL")


def fresh_database_url(tmp_path) -> str:
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    # Named after the suite's own database, so that runs on different databases never collide.
    base, own = PG_URL.rsplit("/", 1)
    name = f"{own.split('?', 1)[0]}_migrations"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def test_upgrade_matches_the_models_and_downgrade_removes_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("WILLAY_INSTANCE_DIR", str(tmp_path))
    app = create_app({"WILLAY": {"DATABASE_URL": fresh_database_url(tmp_path)}})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={
                "compare_type": True}), db.metadata)
        assert diff == [], diff
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        db.engine.dispose()
