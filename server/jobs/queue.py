"""The app's job queue. The same task code runs on every back end:

- WILLAY_JOBS_URL empty: SqliteHuey, a file of its own in the instance folder (not the
  app's database, so queue writes never wait on submission writes);
- redis://…: RedisHuey, for several app servers and workers;
- "immediate": each job runs inside the request that enqueues it (no worker needed)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from ..config import ConfigError

_KEY = "willay_jobs_queue"
NAME = "willay"


def job_queue(app: Flask | None = None) -> Huey:
    """This app's queue, with its tasks registered (one per app, so tests never share)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queue = app.extensions.get(_KEY)
    if queue is None:
        queue = app.extensions.setdefault(_KEY, make_queue(app))
    return queue


def make_queue(app: Flask) -> Huey:
    from .tasks import register_tasks

    url = app.config["WILLAY"]["JOBS_URL"]
    queue: Huey
    if url == "immediate":
        queue = MemoryHuey(NAME, immediate=True, results=False)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        queue = RedisHuey(NAME, url=url, results=False)
    elif url == "" or url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///") or str(Path(app.instance_path) / "jobs.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey(NAME, filename=path, results=False, fsync=True)
    else:
        raise ConfigError("WILLAY_JOBS_URL must be empty (a SQLite file in the instance "
                          "folder), sqlite:///path, redis://host:port/db or immediate")
    register_tasks(queue, app)
    return queue
