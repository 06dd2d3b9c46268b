"""Rate-limit counts every gunicorn worker of this machine shares: a small SQLite file.

In-memory counts are per process, so with two workers a limit of 20 per minute let about
twice that through. The embedded default (`WILLAY_RATELIMIT_STORAGE_URI` empty) keeps the
counts in `<instance>/ratelimits.sqlite3`, apart from the data so counting never waits on an
upload; `sqlite:////path/file` names another file, and several servers share a Redis
(`redis://host:6379`, with the `redis` package installed).

Only the fixed-window strategy (Flask-Limiter's default) is supported.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask
from limits.storage import Storage

from .extensions import limiter

_SCHEMA = """CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires REAL NOT NULL)"""
# a new window starts when the old one has expired; otherwise the hits add up
_HIT = """INSERT INTO counters (key, hits, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN counters.expires <= :now THEN :amount ELSE counters.hits + :amount END,
    expires = CASE WHEN counters.expires <= :now THEN :expires ELSE counters.expires END
RETURNING hits"""
PURGE_EVERY = 1000  # hits between removals of expired windows


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: float | str | bool):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlparse(uri or "").path.removeprefix("/") or ":memory:"
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # opened before a fork
            self._connection = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                               check_same_thread=False)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=OFF")  # counts, not data
            self._connection.execute(_SCHEMA)
            self._pid = os.getpid()
        return self._connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            db = self._db()
            (hits,) = db.execute(_HIT, {"key": key, "amount": amount, "now": now,
                                        "expires": now + expiry}).fetchone()
            self._hits += 1
            if self._hits % PURGE_EVERY == 0:
                db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return hits

    def get(self, key: str) -> int:
        with self._lock:
            row = self._db().execute("SELECT hits FROM counters WHERE key = ? AND expires > ?",
                                     (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        with self._lock:
            row = self._db().execute("SELECT expires FROM counters WHERE key = ?",
                                     (key,)).fetchone()
        return row[0] if row and row[0] > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self._lock:
                self._db().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        with self._lock:
            return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._lock:
            self._db().execute("DELETE FROM counters WHERE key = ?", (key,))


def init_app(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        path = Path(app.instance_path) / "ratelimits.sqlite3"
        app.config["RATELIMIT_STORAGE_URI"] = f"sqlite:///{path}"
    limiter.init_app(app)
