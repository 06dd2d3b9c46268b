"""Alembic runs inside the Flask app: same engine, same metadata, batch mode for SQLite."""

import logging

from alembic import context
from flask import current_app

from server import models  # noqa: F401  (registers every table on the metadata)

log = logging.getLogger("alembic.env")
migrate_ext = current_app.extensions["migrate"]
metadata = migrate_ext.db.metadata


def _skip_empty(ctx, revision, directives):
    """`willay db migrate` with no model change writes no empty revision."""
    autogenerate = getattr(context.config.cmd_opts, "autogenerate", False)
    if autogenerate and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_offline() -> None:
    context.configure(url=str(migrate_ext.db.engine.url), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(migrate_ext.configure_args)
    options.setdefault("process_revision_directives", _skip_empty)
    with migrate_ext.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
