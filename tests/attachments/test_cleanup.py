"""`willay media cleanup` on the media folder: files nothing refers to go once they are older
than the grace period; a dry run lists them and removes nothing."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from attachments.scenario import a_new_interview, fill_store, photo, send, upload
from sqlalchemy import select, update

from server.attachments.models import Attachment
from server.audit.models import AuditEvent
from server.extensions import db

DAYS = 24 * 3600


def on_disk(app, sha: str) -> Path:
    return Path(app.config["WILLAY"]["MEDIA_DIR"]) / sha[:2] / sha[2:4] / sha


def age(app, hashes, days: int) -> None:
    """As if these files (their bytes and records) were uploaded `days` ago."""
    moment = time.time() - days * DAYS
    for sha in hashes:
        os.utime(on_disk(app, sha), (moment, moment))
    with app.app_context():
        db.session.execute(update(Attachment).where(Attachment.sha256.in_(hashes)).values(
            created_at=datetime.now(UTC) - timedelta(days=days)))
        db.session.commit()


def records(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Attachment.sha256)))


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return events


@pytest.fixture
def media(app, client, demo, device_headers):
    made = fill_store(app, client, device_headers)
    age(app, made.every, 10)
    return made


def test_a_dry_run_names_what_would_go_and_removes_nothing(app, runner, media):
    result = runner.invoke(args=["media", "cleanup", "--dry-run", "--grace-days", "7"])
    assert result.exit_code == 0, result.output
    listed = {line.split("\t")[0] for line in result.stdout.splitlines() if "\t" in line}
    assert listed == media.unreferenced
    assert "2 files (0.0 MB) would be removed" in result.stderr
    assert all(on_disk(app, sha).exists() for sha in media.every)
    assert media.orphan in records(app)
    assert audit(app, "media_cleanup") == []


def test_the_clean_up_removes_only_old_unreferenced_files(app, client, runner, media,
                                                          device_headers):
    fresh = upload(client, device_headers, photo("an interview still on its way"))
    result = runner.invoke(args=["media", "cleanup", "--grace-days", "7"])
    assert result.exit_code == 0, result.output
    assert "2 files (0.0 MB) removed" in result.stderr
    assert "1 unused but younger than 7 days kept" in result.stderr
    assert not any(on_disk(app, sha).exists() for sha in media.unreferenced)
    assert all(on_disk(app, sha).exists() for sha in media.referenced | {fresh})
    assert media.orphan not in records(app) and fresh in records(app)
    (event,) = audit(app, "media_cleanup")
    assert event.actor == "cli" and event.details["removed"] == 2
    assert event.details["grace_days"] == 7 and event.details["checked"] == 6
    # the phone that still holds the removed photo is told to send it again
    result = send(client, device_headers, a_new_interview([media.orphan]))
    assert result["outcome"] == "stored" and result["missing_attachments"] == [media.orphan]
    upload(client, device_headers, photo("an interview never sent"))
    assert on_disk(app, media.orphan).exists()


def test_a_longer_grace_period_keeps_everything(app, runner, media):
    result = runner.invoke(args=["media", "cleanup", "--grace-days", "30"])
    assert result.exit_code == 0, result.output
    assert "0 files (0.0 MB) removed" in result.stderr
    assert all(on_disk(app, sha).exists() for sha in media.every)


def test_a_file_uploaded_again_starts_its_grace_period_again(app, client, runner, media,
                                                             device_headers):
    upload(client, device_headers, photo("an interview never sent"))  # the phone retries
    result = runner.invoke(args=["media", "cleanup", "--grace-days", "7"])
    assert result.exit_code == 0, result.output
    assert on_disk(app, media.orphan).exists() and not on_disk(app, media.stray).exists()


def test_the_grace_period_must_be_a_day_or_more(runner):
    result = runner.invoke(args=["media", "cleanup", "--grace-days", "0"])
    assert result.exit_code == 2 and "grace-days" in result.output


def test_unfinished_uploads_left_by_a_killed_server_go_after_the_grace_period(app, runner,
                                                                            media):
    from server.attachments.storage import LocalStore

    shard = on_disk(app, media.orphan).parent
    old, new = shard / f"{LocalStore.PARTIAL_PREFIX}old", shard / f"{LocalStore.PARTIAL_PREFIX}new"
    old.write_bytes(b"\xff\xd8" * 1000)
    new.write_bytes(b"\xff\xd8" * 10)
    moment = time.time() - 10 * DAYS
    os.utime(old, (moment, moment))
    dry = runner.invoke(args=["media", "cleanup", "--dry-run", "--grace-days", "7"])
    assert "1 unfinished uploads (0.0 MB) would be removed" in dry.stderr
    assert old.exists()
    result = runner.invoke(args=["media", "cleanup", "--grace-days", "7"])
    assert result.exit_code == 0, result.output
    assert not old.exists() and new.exists()
