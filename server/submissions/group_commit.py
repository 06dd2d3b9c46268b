"""Group commit on SQLite: concurrent ingest requests share one sync of the write-ahead log.

With `synchronous=FULL` every commit syncs the log while it holds SQLite's only write lock,
so single-item requests queue behind one another's fsync and cannot pass the disk's sync
rate. On the ingest path each request instead commits its own transaction as before, with
`synchronous=NORMAL` for that one commit (the log is written, not yet synced: the lock is
held for microseconds, not for an fsync), and then waits until a sync of the log that
started *after* its commit has finished. Requests that commit while a sync is running share
the next one, so one fsync covers as many commits as arrive during one. A request alone in
its process (`in_flight`, `alone`) has nobody to share with and commits at FULL as before.

What each request keeps: its own transaction (one request's failure never touches another's
rows), the answer only after its rows are on disk, and SQLAlchemy's session machinery as it
was (session events see each request's own flush and commit). A sync that fails raises in
the request that ran it and in every wait after it until the process restarts (a later
successful sync proves nothing about frames whose write-back failed): none is acknowledged
without a successful sync that started after its commit, with no failure before it.

Why this is as durable as FULL: in WAL mode NORMAL syncs the log before each checkpoint and
the database file after it, and only then reuses the log; so a commit is on disk once the log
file has been synced after it, or, if the log has been checkpointed and removed meanwhile,
already in the synced database file. The first sync of a new log file also syncs its
directory, as SQLite does.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
_LOWERED = "willay_sync_lowered"  # on a pool connection's record while its commit is NORMAL
_FILE = "willay_group_commit_file"  # per pooled connection: its database file, or None
# synchronous levels as PRAGMA synchronous reads them
FULL = 2


class LogSyncer:
    """Syncs one database's log file for the commits that wait on it, sharing each sync."""

    def __init__(self, log_path: str | Path, fsync: Callable[[int], None] | None = None):
        self.path = str(log_path)
        self._fsync = fsync  # None: os.fdatasync (the log), os.fsync (its directory)
        self._cond = threading.Condition()
        self._taken = 0  # tickets handed out: one per commit waiting to be on disk
        self._done = 0  # every ticket up to this one is on disk
        self._busy = False  # a sync is running (outside the lock)
        self._file: tuple[int, int] | None = None  # (device, inode) of the log synced last
        self._failed: OSError | None = None  # a sync failed: nothing is proven any more
        self.syncs = 0  # successful syncs, for tests and benchmarks

    def wait(self) -> None:
        """Return once a sync that started after this call's commit has succeeded. After a
        failed sync every wait fails, in this process, until it restarts: Linux reports a
        write-back error once and then marks the pages clean, so a later sync that succeeds
        proves nothing about the frames that failed (PostgreSQL's data_sync_retry=off)."""
        with self._cond:
            self._taken += 1
            ticket = self._taken
            while self._done < ticket:
                if self._failed is not None:
                    raise OSError(f"an earlier sync of {self.path} failed") from self._failed
                if self._busy:
                    self._cond.wait()
                    continue
                self._busy = True
                upto = self._taken  # every commit that took a ticket so far is written
                self._cond.release()
                try:
                    self._sync()
                except OSError as err:
                    self._failed = err  # set before the waiters wake (under the lock below)
                    log.critical("sync of %s failed: ingest answers fail until a restart",
                                 self.path, exc_info=True)
                    raise
                finally:
                    self._cond.acquire()
                    self._busy = False
                    self._cond.notify_all()
                self._done = max(self._done, upto)
                self.syncs += 1

    def _sync(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            # checkpointed and removed (SQLite syncs the database before it deletes the log):
            # the commits are in the database file. Sync that instead, so a wrong path fails
            # here (no database file either) rather than acknowledging without any sync.
            fd = os.open(self.path.removesuffix("-wal"), os.O_RDONLY)
        try:
            stat = os.fstat(fd)
            # as SQLite syncs its log on Linux: the data, and the size if it grew
            (self._fsync or os.fdatasync)(fd)
            # a new log file: its name must survive too. (A recreated log that reuses the
            # freed inode number is not seen as new; on journalled ext4/XFS the file's own
            # sync commits its directory entry anyway.)
            if (stat.st_dev, stat.st_ino) != self._file:
                self._sync_directory()
                self._file = (stat.st_dev, stat.st_ino)
        finally:
            os.close(fd)

    def _sync_directory(self) -> None:
        fd = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
        try:
            (self._fsync or os.fsync)(fd)
        finally:
            os.close(fd)


_flying = 0  # ingest requests in this process between their first look-up and their answer
_flying_lock = threading.Lock()


@contextmanager
def in_flight() -> Iterator[None]:
    """Count an ingest request as in flight, so others know a sync may be shared."""
    global _flying
    with _flying_lock:
        _flying += 1
    try:
        yield
    finally:
        with _flying_lock:
            _flying -= 1


def alone() -> bool:
    """The only ingest request in this process: its commit syncs as FULL does (sharing
    costs a lone request a few syscalls and gains it nothing)."""
    return _flying <= 1


_syncers: dict[str, LogSyncer] = {}
_syncers_lock = threading.Lock()


def syncer_for(database: str) -> LogSyncer:
    """The process's syncer for one database file (one per file, shared by every thread)."""
    with _syncers_lock:
        syncer = _syncers.get(database)
        if syncer is None:
            syncer = _syncers[database] = LogSyncer(database + "-wal")
        return syncer


def database_file(connection: Connection) -> str | None:
    """The database file whose log an ingest commit waits for, when group commit applies:
    a file database set to sync every commit (the default, FULL). A server set to NORMAL
    keeps NORMAL's trade-off; PostgreSQL already shares WAL flushes between concurrent
    commits. Asked of SQLite once per pooled connection: the file as SQLite opened it (links
    resolved), so the log synced is the one SQLite writes."""
    if connection.dialect.name != "sqlite":
        return None
    info = connection.connection.info
    if _FILE not in info:
        level = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        main = [row[2] for row in connection.exec_driver_sql("PRAGMA database_list")
                if row[1] == "main"]
        info[_FILE] = main[0] if level == FULL and main and main[0] else None
    return info[_FILE]


def defer_sync(connection: Connection) -> None:
    """Before BEGIN: this connection's next commit writes the log without syncing it. The
    pool restores FULL when the connection goes back, whatever happened (see `init_engine`)."""
    connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
    connection.connection.info[_LOWERED] = True


def wait_durable(database: str) -> None:
    """After the commit: wait for a sync of the log that covers it. Every ingest request
    waits, even one that wrote nothing: a replay answered `duplicate` with a receipt may have
    read another request's row between that request's commit and its sync."""
    syncer_for(database).wait()


def settle_reads(connection: Connection) -> None:
    """After reading rows a phone will act on (it deletes what the server holds): wait until
    every commit those reads could see is on disk."""
    database = database_file(connection)
    if database is not None:
        wait_durable(database)


def init_engine(engine: Engine) -> None:
    """A connection whose commit was deferred gets FULL back before anyone else uses it."""

    @event.listens_for(engine, "checkin")
    def _restore(dbapi_connection, record) -> None:
        if record is None or not record.info.pop(_LOWERED, False):
            return
        if dbapi_connection is None:  # invalidated: closed, never used again
            return
        try:
            dbapi_connection.execute("PRAGMA synchronous=FULL")
        except Exception as err:  # noqa: BLE001 - never hand out a NORMAL connection
            log.warning("could not restore synchronous=FULL; connection dropped",
                        exc_info=True)
            record.invalidate(err)
