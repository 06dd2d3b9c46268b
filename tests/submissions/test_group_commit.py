"""Group commit on SQLite (server/submissions/group_commit.py): concurrent ingest requests
share one sync of the log, and none is answered before a sync that covers its commit."""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import household_item
from sqlalchemy import event, func, select
from testapp import clean, make_app

from server.extensions import db
from server.submissions.group_commit import FULL, LogSyncer
from server.submissions.models import Submission


class SlowDisk:
    """A real fsync that takes a while, recording when each one starts and ends."""

    def __init__(self, seconds: float = 0.02, fail_first: bool = False):
        self.seconds, self.fail_first = seconds, fail_first
        self.clock = 0  # bumped at every event, under the lock
        self.lock = threading.Lock()
        self.syncs: list[tuple[int, int]] = []  # (started, finished) of successful syncs

    def tick(self) -> int:
        with self.lock:
            self.clock += 1
            return self.clock

    def __call__(self, fd: int) -> None:
        started = self.tick()
        time.sleep(self.seconds)
        os.fsync(fd)
        if self.fail_first:
            self.fail_first = False
            raise OSError(5, "Input/output error")
        self.syncs.append((started, self.tick()))


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "db.sqlite3-wal"
    path.write_bytes(b"frames")
    return path


def test_concurrent_commits_share_syncs_and_each_waits_for_one_after_it(log_file):
    disk = SlowDisk()
    syncer = LogSyncer(log_file, disk)

    def commit_then_wait(_):
        committed = disk.tick()
        syncer.wait()
        return committed, disk.tick()

    with ThreadPoolExecutor(16) as pool:
        waits = list(pool.map(commit_then_wait, range(64)))
    assert syncer.syncs < 64 / 4  # shared: far fewer syncs than commits
    for committed, answered in waits:
        # some sync started after this commit and finished before its answer
        assert any(committed < started and finished < answered
                   for started, finished in disk.syncs)


def test_after_a_failed_sync_nothing_is_acknowledged_until_a_restart(log_file):
    """Linux reports a write-back error once and marks the pages clean: a later sync that
    succeeds proves nothing about the frames that failed, so no later wait may pass."""
    disk = SlowDisk(fail_first=True)
    syncer = LogSyncer(log_file, disk)
    with pytest.raises(OSError):
        syncer.wait()
    for _ in range(3):
        with pytest.raises(OSError, match="earlier sync"):
            syncer.wait()
    assert syncer.syncs == 0 and disk.syncs == []  # not even tried again
    fresh = LogSyncer(log_file, disk)  # a restarted process starts afresh
    committed = disk.tick()
    fresh.wait()
    assert fresh.syncs == 1 and disk.syncs[0][0] > committed


def test_a_failed_sync_under_concurrency_fails_every_waiter_it_was_to_cover(log_file):
    disk = SlowDisk(fail_first=True)
    syncer = LogSyncer(log_file, disk)

    def commit_then_wait(_):
        committed = disk.tick()
        try:
            syncer.wait()
        except OSError:
            return "failed", committed, disk.tick()
        return "synced", committed, disk.tick()

    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(commit_then_wait, range(24)))
    failed_at = min(answered for outcome, _c, answered in waits if outcome == "failed")
    for outcome, committed, answered in waits:
        if outcome == "synced":  # only commits covered by a sync before the failure
            assert any(committed < s and f < answered for s, f in disk.syncs)
            assert answered < failed_at
    assert [w[0] for w in waits].count("failed") >= 1
    assert all(outcome == "failed" for outcome, committed, _a in waits
               if committed > failed_at)


def test_a_log_removed_by_a_checkpoint_syncs_the_database_file(tmp_path):
    """SQLite deletes the log only after a synced checkpoint: its commits are in the
    database file, which is synced instead."""
    database = tmp_path / "gone.sqlite3"
    database.write_bytes(b"pages")
    synced = []
    syncer = LogSyncer(f"{database}-wal", lambda fd: synced.append(os.fstat(fd).st_ino))
    syncer.wait()
    assert syncer.syncs == 1 and database.stat().st_ino in synced


def test_a_wrong_log_path_fails_instead_of_acknowledging_without_a_sync(tmp_path):
    syncer = LogSyncer(tmp_path / "nowhere" / "db.sqlite3-wal")
    with pytest.raises(OSError):
        syncer.wait()
    assert syncer.syncs == 0


@pytest.fixture(params=["file", "link"])
def full_app(request, database_url, tmp_path):
    """The product's default (FULL), on the test database or on a link to it: the log
    synced must be the one SQLite writes, beside the real file."""
    if not database_url.startswith("sqlite"):
        pytest.skip("group commit is for SQLite")
    url = database_url
    if request.param == "link":
        link = tmp_path / "link.sqlite3"
        link.symlink_to(database_url.removeprefix("sqlite:///"))
        url = f"sqlite:///{link}"
    app = make_app(url, tmp_path, SQLITE_SYNCHRONOUS=None)
    yield app
    clean(app)


@pytest.fixture
def served(full_app, monkeypatch):
    """The FULL app with a paired device; `synced` lists each file synced from Python (the
    group commit's syncs; SQLite's own syncs at a FULL commit happen in C), `levels` the
    synchronous level of each connection as it goes back to the pool."""
    from server.demo.loader import load_demo
    from server.devices.services import enrol_device

    with full_app.app_context():
        load_demo()
        code = enrol_device("Test phone", "Rosa").code
        log = os.path.realpath(db.engine.url.database) + "-wal"  # where SQLite keeps it
        levels: list[int] = []
        # runs after the app's own checkin listener: what the next user of the connection gets
        event.listen(db.engine, "checkin", lambda dbapi, _record: levels.append(
            dbapi.execute("PRAGMA synchronous").fetchone()[0]))
    client = full_app.test_client()
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    synced: list[str] = []

    def recorded(real):
        def sync(fd: int) -> None:
            real(fd)
            synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return sync

    monkeypatch.setattr(os, "fsync", recorded(os.fsync))
    monkeypatch.setattr(os, "fdatasync", recorded(os.fdatasync))

    def send(item: dict) -> dict:
        response = full_app.test_client().post(
            "/api/v1/submissions", json={"submissions": [item]},
            headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        return response.get_json()["results"][0]

    return {"app": full_app, "send": send, "log": log, "synced": synced, "levels": levels}


def stored_count(app, item: dict) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            Submission.uuid == uuid.UUID(item["uuid"])))


def test_requests_in_flight_together_share_the_sync_and_leave_connections_at_full(
        served, monkeypatch):
    from server.submissions import ingest as ingest_module

    together = threading.Barrier(6, timeout=30)
    check = ingest_module._checked

    def checked_once_all_are_here(batch, item):  # all six in flight before any commits
        together.wait()
        return check(batch, item)

    monkeypatch.setattr(ingest_module, "_checked", checked_once_all_are_here)
    items = [household_item() for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(served["send"], items))
    assert [r["outcome"] for r in results] == ["stored"] * 6
    assert served["log"] in served["synced"]  # synced by the group commit, before answering
    assert served["levels"] and set(served["levels"]) == {FULL}
    assert all(stored_count(served["app"], i) == 1 for i in items)


def test_a_lone_request_syncs_at_its_commit_and_a_lone_replay_still_waits(served):
    item = household_item()
    assert served["send"](item)["outcome"] == "stored"
    assert served["log"] not in served["synced"]  # SQLite synced it at the FULL commit
    # a replay writes nothing (no sync at its commit), so it waits for one of its own: the
    # row it reports could be another request's, not yet synced
    assert served["send"](item)["outcome"] == "duplicate"
    assert served["log"] in served["synced"]
    assert set(served["levels"]) == {FULL}
    assert stored_count(served["app"], item) == 1
