"""`willay media migrate-to-s3`: every local file is copied into the bucket and checked; a
damaged local file is reported and never uploaded; a second run skips what is there; the
console then serves the photos from the bucket."""

from __future__ import annotations

from pathlib import Path

import pytest
from attachments.scenario import fill_store, photo
from s3.bucket import media_key, sha_of
from s3.conftest import _TOKEN, KEYS, PASSWORD
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db, limiter
from server.users.services import create_user


@pytest.fixture
def app(app_factory, s3_endpoint):
    """Media on the local disk (the default); the bucket's endpoint and keys configured."""
    app = app_factory(S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    with app.app_context():
        limiter.reset()
    return app


@pytest.fixture
def media(app, client, demo, device_headers):
    return fill_store(app, client, device_headers)


def on_disk(app, sha: str) -> Path:
    return Path(app.config["WILLAY"]["MEDIA_DIR"]) / sha[:2] / sha[2:4] / sha


def migrate(runner, bucket, *extra):
    return runner.invoke(args=["media", "migrate-to-s3", "--to", f"s3://{bucket.name}/media",
                               *extra])


def migrations(app) -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "media_migrate").order_by(
                AuditEvent.id))]


def test_every_file_is_copied_and_checked(app, runner, media, bucket):
    result = migrate(runner, bucket)
    assert result.exit_code == 0, result.output
    assert "5 files, 5 copied" in result.stderr and "0 damaged, 0 failed" in result.stderr
    assert bucket.keys() == sorted(media_key(sha) for sha in media.every)
    for sha in media.every:
        assert bucket.get(media_key(sha)) == on_disk(app, sha).read_bytes()
    (event,) = migrations(app)
    assert event["copied"] == 5 and event["damaged"] == [] and event["failed"] == []

    again = migrate(runner, bucket)  # resumable: what is there is skipped
    assert again.exit_code == 0, again.output
    assert "0 copied" in again.stderr and "5 already there" in again.stderr
    assert [e["already"] for e in migrations(app)] == [0, 5]


def test_a_damaged_local_file_is_reported_and_not_uploaded(app, runner, media, bucket):
    path = on_disk(app, media.orphan)
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 0xFF  # one flipped byte: same size, other hash
    path.write_bytes(bytes(damaged))
    result = migrate(runner, bucket)
    assert result.exit_code == 1
    assert f"DAMAGED {media.orphan}: the local bytes hash to {sha_of(bytes(damaged))}" \
        in result.stdout
    assert "some files were not copied" in result.output
    assert media_key(media.orphan) not in bucket.keys()
    assert bucket.keys() == sorted(media_key(s) for s in media.every - {media.orphan})
    (event,) = migrations(app)
    assert event["damaged"] == [media.orphan] and event["copied"] == 4

    path.write_bytes(photo("an interview never sent"))  # restored from a backup
    fixed = migrate(runner, bucket)
    assert fixed.exit_code == 0, fixed.output
    assert "1 copied" in fixed.stderr and "4 already there" in fixed.stderr
    assert bucket.get(media_key(media.orphan)) == photo("an interview never sent")


def test_a_wrong_copy_in_the_bucket_is_replaced_when_verifying(app, runner, media, bucket):
    assert migrate(runner, bucket).exit_code == 0
    good = bucket.get(media_key(media.in_submission))
    bucket.put(media_key(media.in_submission), good[:-1] + b"!")  # same size, other bytes
    result = migrate(runner, bucket, "--verify-existing")
    assert result.exit_code == 0, result.output
    assert "1 copied" in result.stderr and "4 already there" in result.stderr
    assert bucket.get(media_key(media.in_submission)) == good


def test_after_the_move_the_console_shows_photos_from_the_bucket(app, app_factory, runner,
                                                                 media, bucket, s3_settings):
    assert migrate(runner, bucket).exit_code == 0
    for sha in media.every:
        on_disk(app, sha).unlink()  # the folder is gone: only the bucket has them
    moved = app_factory(**s3_settings)
    with moved.app_context():
        create_user("coordinator@example.org", "Coordinadora", "coordinator", PASSWORD)
        db.session.remove()
    console = moved.test_client()
    page = console.get("/console/sign-in").get_data(as_text=True)
    assert console.post("/console/sign-in", data={
        "email": "coordinator@example.org", "password": PASSWORD,
        "csrf_token": _TOKEN.search(page).group(1)}).status_code == 302
    shown = console.get(f"/console/media/{media.in_submission}")
    assert shown.status_code == 200 and shown.data == photo("a broken pipe")


def test_without_a_bucket_address_the_command_says_what_to_do(runner):
    result = runner.invoke(args=["media", "migrate-to-s3"])
    assert result.exit_code == 1 and "--to s3://bucket/prefix" in result.output
