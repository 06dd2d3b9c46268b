"""What the API confirms is on disk: SQLite syncs its log at every commit (synchronous=FULL),
and an uploaded file is synced, renamed into place and its directory synced (new
directories too) before the upload is confirmed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from server.extensions import db

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's synchronous setting")


def test_sqlite_commits_are_synced_before_the_answer(app_factory, sqlite_only):
    app = app_factory(SQLITE_SYNCHRONOUS=None)  # the product's default, not the tests' NORMAL
    with app.app_context():
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == FULL
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_normal_can_be_chosen_knowingly(app_factory, sqlite_only):
    app = app_factory(SQLITE_SYNCHRONOUS="NORMAL")
    with app.app_context():
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1


@pytest.fixture
def disk_calls(monkeypatch):
    """Record (what, path) for each fsync and rename, in order, while really doing them."""
    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        real_fsync(fd)
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))

    def replace(src, dst) -> None:
        real_replace(src, dst)
        calls.append(("rename", str(dst)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_an_upload_is_synced_file_then_directories_before_it_is_confirmed(
        app, client, device_headers, disk_calls):
    data = b"\xff\xd8\xff\xe0 water tank"
    sha = hashlib.sha256(data).hexdigest()
    media = Path(app.config["WILLAY"]["MEDIA_DIR"]).resolve()
    target = media / sha[:2] / sha[2:4] / sha
    assert not (media / sha[:2]).exists()

    response = client.put(f"/api/v1/attachments/{sha}", data=data, headers=device_headers,
                          content_type="image/jpeg")
    assert response.status_code == 201
    assert target.read_bytes() == data

    synced = [path for what, path in disk_calls if what == "fsync"]
    rename = disk_calls.index(("rename", str(target)))
    # the bytes are synced (as the temporary file) before the rename makes them visible
    assert any(Path(p).parent == target.parent and p != str(target)
               for what, p in disk_calls[:rename] if what == "fsync")
    # after the rename, the directory holding the new name is synced
    assert ("fsync", str(target.parent)) in disk_calls[rename:]
    # and the two new directories were each synced into their parents
    assert str(media) in synced and str(media / sha[:2]) in synced
