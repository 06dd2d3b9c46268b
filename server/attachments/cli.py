"""`willay media`: clean-up of files nothing refers to, and moving local media to a bucket."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

media_cli = AppGroup("media", help="Photos, recordings and files: clean-up, move to a bucket.")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@media_cli.command("cleanup")
@click.option("--dry-run", is_flag=True, help="Only report what would be removed.")
@click.option("--grace-days", type=click.IntRange(min=1), default=None,
              help="Keep unreferenced files younger than this (default WILLAY_MEDIA_GRACE_DAYS).")
@click.option("--list/--no-list", "listing", default=True, help="Name each file.")
def cleanup_command(dry_run: bool, grace_days: int | None, listing: bool) -> None:
    """Remove files no submission, conflict or survey refers to, older than the grace period."""
    from .cleanup import run_cleanup

    days = grace_days or current_app.config["WILLAY"]["MEDIA_GRACE_DAYS"]
    report = run_cleanup(dry_run=dry_run, grace_days=days)
    verb = "would be removed" if dry_run else "removed"
    if listing:
        for item in report.files:
            click.echo(f"{item.sha256}\t{item.size}\t{item.modified:%Y-%m-%d %H:%M}")
        if not report.listed_all:
            click.echo(f"… and {report.removed - len(report.files)} more")
    click.echo(f"{report.store}: {report.checked} files checked, {report.kept_referenced} in "
               f"use, {report.kept_recent} unused but younger than {days} days kept", err=True)
    click.echo(f"{report.removed} files ({_mb(report.removed_bytes)}) {verb}", err=True)
    if report.partial_removed:
        click.echo(f"{report.partial_removed} unfinished uploads ({_mb(report.partial_bytes)}) "
                   f"{verb}", err=True)


@media_cli.command("migrate-to-s3")
@click.option("--to", "url", default=None, metavar="s3://BUCKET/PREFIX",
              help="The bucket (default WILLAY_MEDIA_URL); endpoint and keys: WILLAY_S3_*.")
@click.option("--verify-existing", is_flag=True,
              help="Also download and hash the files the bucket already holds.")
def migrate_command(url: str | None, verify_existing: bool) -> None:
    """Copy WILLAY_MEDIA_DIR into the bucket, checking every file's hash (resumable)."""
    from .migrate import migrate_media
    from .s3 import S3Store
    from .storage import LocalStore, StoreUnavailable

    willay = current_app.config["WILLAY"]
    url = url or willay["MEDIA_URL"]
    if not url:
        raise click.ClickException("say where to: --to s3://bucket/prefix or WILLAY_MEDIA_URL")
    try:
        target = S3Store.from_url(url, endpoint_url=willay["S3_ENDPOINT_URL"],
                                  access_key_id=willay["S3_ACCESS_KEY_ID"],
                                  secret_access_key=willay["S3_SECRET_ACCESS_KEY"],
                                  region=willay["S3_REGION"])
    except ValueError as err:
        raise click.ClickException(f"not a bucket address: {url}") from err
    source = LocalStore(willay["MEDIA_DIR"])

    def progress(done: int, total: int) -> None:
        if done % 500 == 0 or done == total:
            click.echo(f"{done}/{total} files", err=True)

    try:
        report = migrate_media(source, target, verify_existing=verify_existing,
                               progress=progress)
    except StoreUnavailable as err:
        raise click.ClickException(f"the bucket cannot be reached: {err}") from err
    for sha, actual in report.damaged:
        click.echo(f"DAMAGED {sha}: the local bytes hash to {actual}; not copied")
    for sha, why in report.failed:
        click.echo(f"FAILED {sha}: {why}")
    click.echo(f"{report.source} -> {report.target}: {report.total} files, {report.copied} "
               f"copied ({_mb(report.copied_bytes)}) and checked, {report.already} already "
               f"there, {len(report.damaged)} damaged, {len(report.failed)} failed", err=True)
    if not report.ok:
        raise click.ClickException("some files were not copied (listed above); run again "
                                   "after fixing them, the copied ones are skipped")
    if not verify_existing and report.already:
        click.echo("files already in the bucket were checked by size and recorded hash; "
                   "--verify-existing downloads and hashes them", err=True)
