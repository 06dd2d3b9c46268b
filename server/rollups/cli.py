"""`willay rollups rebuild`: count the rollups again from the submissions, here and now
(or, with --job, as a background job a worker runs)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

rollups_cli = AppGroup("rollups", help="The dashboard's and the portal's rollup tables.")


@rollups_cli.command("rebuild")
@click.option("--job", "as_job", is_flag=True, help="Queue a background job instead.")
def rollups_rebuild(as_job: bool) -> None:
    """Recount every rollup from the submissions (after writes that bypass the app)."""
    if as_job:
        from .jobs import request_rebuild

        job, created = request_rebuild()
        click.echo(f"job {job.id} {'queued' if created else 'already ' + job.status}")
        return
    from .rebuild import rebuild

    def told(done: int, total: int) -> None:
        click.echo(f"\r{done:,} of {total:,} submissions", nl=False, file=sys.stderr)

    counted = rebuild(told)
    click.echo("", file=sys.stderr)
    click.echo(f"rollups rebuilt from {counted} submissions")
