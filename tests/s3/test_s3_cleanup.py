"""Media clean-up on the bucket: the same rules as on disk, the object's time is the bucket's
LastModified (which a test cannot set back, so the clean-up runs as if days had passed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from attachments.scenario import fill_store
from s3.bucket import media_key
from sqlalchemy import select

from server.attachments.cleanup import run_cleanup
from server.attachments.models import Attachment
from server.audit.models import AuditEvent
from server.extensions import db

LATER = timedelta(days=8)


@pytest.fixture
def media(app, client, demo, device_headers):
    return fill_store(app, client, device_headers)


def keys_of(hashes) -> list[str]:
    return sorted(media_key(sha) for sha in hashes)


def cleanup_events(app) -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "media_cleanup"))]


def test_a_dry_run_on_the_bucket_reports_and_deletes_nothing(app, media, bucket):
    with app.app_context():
        report = run_cleanup(dry_run=True, grace_days=7, now=datetime.now(UTC) + LATER)
    assert report.store.startswith(f"bucket s3://{bucket.name}")
    assert {f.sha256 for f in report.files} == media.unreferenced
    assert report.removed == 2 and report.checked == 5 and report.kept_referenced == 3
    assert report.removed_bytes == sum(len(bucket.get(media_key(s))) for s in media.unreferenced)
    assert bucket.keys() == keys_of(media.every)
    assert cleanup_events(app) == []


def test_the_bucket_keeps_referenced_and_recent_files(app, media, bucket):
    with app.app_context():
        report = run_cleanup(dry_run=False, grace_days=7)  # everything is minutes old
    assert report.removed == 0 and report.kept_recent == 2
    assert bucket.keys() == keys_of(media.every)


def test_the_clean_up_removes_old_unreferenced_objects_from_the_bucket(app, client, media,
                                                                      bucket, device_headers):
    with app.app_context():
        report = run_cleanup(dry_run=False, grace_days=7, now=datetime.now(UTC) + LATER,
                             actor="job")
        assert set(db.session.scalars(select(Attachment.sha256))) == {
            media.in_submission, media.in_conflict}
    assert report.removed == 2 and {f.sha256 for f in report.files} == media.unreferenced
    assert bucket.keys() == keys_of(media.referenced)
    assert cleanup_events(app) == [{"removed": 2, "bytes": report.removed_bytes,
                                    "grace_days": 7, "checked": 5}]
    with app.app_context():  # a second run finds nothing more to do
        again = run_cleanup(dry_run=False, grace_days=7, now=datetime.now(UTC) + LATER)
    assert again.removed == 0 and again.checked == 3
