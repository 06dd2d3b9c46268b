"""`willay serve` (what `make run` starts): gunicorn and a job worker with one command; a
job asked for on the web side finishes, and a worker that dies is started again."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
import requests
from jobs.jobkit import BIN, Worker, wait_for
from live import free_port

from server.extensions import db
from server.jobs.models import Job

pytestmark = pytest.mark.slow


@pytest.fixture
def app(app_factory):
    return app_factory(JOBS_URL="", JOBS_LEASE_SECONDS=2)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _worker_of(pid: int) -> int | None:
    for child in _children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as cmd:
                argv = cmd.read().split(b"\0")
        except OSError:  # gone between the listing and the read (the killed worker, reaped)
            continue
        if b"worker" in argv[1:3]:  # `willay worker` (through python or not), not --workers
            return child
    return None


def test_serve_runs_the_web_and_a_worker_that_comes_back(app, database_url, demo, tmp_path):
    from server.jobs.services import request_job, start

    env = Worker.for_app(app, database_url, tmp_path / "unused.log").env
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    serve = subprocess.Popen([str(BIN / "willay"), "serve", "--workers", "1", "--bind",
                              f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log)
    try:
        wait_for(lambda: _ok(f"http://127.0.0.1:{port}/healthz"), seconds=90,
                 what="gunicorn under willay serve")
        first = wait_for(lambda: _worker_of(serve.pid), seconds=60, what="its worker")
        with app.app_context():
            job, _ = request_job("media_cleanup", {"dry_run": True, "grace_days": 7},
                                 shared=False)
            start(job)
            job_id = job.id
        wait_for(lambda: _status(app, job_id) == "done", seconds=90,
                 what="the job",
                 log=lambda: (tmp_path / "serve.log").read_text(errors="replace"))
        os.kill(first, signal.SIGKILL)
        again = wait_for(lambda: (w := _worker_of(serve.pid)) not in (None, first) and w,
                         seconds=90, what="the worker to be started again")
        assert again != first
        assert _ok(f"http://127.0.0.1:{port}/healthz")
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(30)
        log.close()
    assert code == 0
    assert serve.poll() is not None and _worker_of(serve.pid) is None


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).ok
    except requests.RequestException:
        return False


def _status(app, job_id: int) -> str:
    with app.app_context():
        status = db.session.get(Job, job_id).status
        db.session.remove()
        return status
