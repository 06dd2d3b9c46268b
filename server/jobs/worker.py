"""`willay worker`: the queue's consumer, plus a housekeeping thread that queues again the
jobs of workers that died. `willay serve`: gunicorn and one worker started together and
stopped together (`make run`), the worker restarted if it dies."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
STOP_SECONDS = 15  # how long `serve` waits for its children to stop before killing them


def _housekeeping(app, stop: threading.Event) -> None:
    from .services import requeue_stale

    every = max(1.0, app.config["WILLAY"]["JOBS_LEASE_SECONDS"] / 2)
    while True:
        try:
            with app.app_context():
                again = requeue_stale()
            if again:
                log.info("queued again: jobs %s", again)
        except Exception:  # noqa: BLE001 - the database may be restarting; try next time
            log.exception("housekeeping failed")
        if stop.wait(every):
            return


@click.command("worker")
@click.option("--threads", type=int, default=None,
              help="Jobs run at once (default WILLAY_JOBS_WORKERS).")
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Run background jobs (exports, media clean-up) until stopped."""
    from .queue import job_queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["WILLAY"]["JOBS_URL"] == "immediate":
        raise click.ClickException("WILLAY_JOBS_URL=immediate runs jobs in the web "
                                   "process: there is nothing for a worker to do")
    queue = job_queue(app)
    stop = threading.Event()
    threading.Thread(target=_housekeeping, args=(app, stop), name="jobs-housekeeping",
                     daemon=True).start()
    from huey.signals import SIGNAL_INTERRUPTED

    @queue.signal(SIGNAL_INTERRUPTED)
    def _interrupted(_signal, task, *args, **kwargs) -> None:
        # stopped mid-job (SIGTERM): hand the job back now rather than when its lease ends
        if task.name == "run_job" and task.args:
            from .services import release

            with app.app_context():
                release(int(task.args[0]))

    consumer = queue.create_consumer(
        workers=threads or app.config["WILLAY"]["JOBS_WORKERS"], worker_type="thread",
        periodic=True, initial_delay=0.1, backoff=1.15, max_delay=1.0,
        check_worker_health=True)
    click.echo(f"willay worker {os.getpid()}: {queue.storage.__class__.__name__}",
               err=True)
    try:
        consumer.run()
    finally:
        stop.set()


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes.")
def serve_command(bind: str, workers: int) -> None:
    """gunicorn and a job worker together; Ctrl-C stops both."""
    binary = Path(sys.executable).parent
    web_cmd = [str(binary / "gunicorn"), "-c", "python:server.gunicorn_conf",
               "--workers", str(workers), "--bind", bind]
    jobs_cmd = [str(binary / "willay"), "worker"]
    stopping = threading.Event()

    def on_signal(signum, _frame) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    web = subprocess.Popen(web_cmd)
    jobs = subprocess.Popen(jobs_cmd)
    restarts = 0
    code = 0
    while not stopping.is_set():
        if web.poll() is not None:
            code = web.returncode or 1
            click.echo("gunicorn stopped: stopping the worker", err=True)
            break
        if jobs.poll() is not None:
            restarts += 1
            pause = min(30, 2 ** min(restarts, 5))
            click.echo(f"the job worker stopped ({jobs.returncode}); restarting in "
                       f"{pause} s", err=True)
            if stopping.wait(pause):
                break
            jobs = subprocess.Popen(jobs_cmd)
        stopping.wait(0.5)
    for child in (web, jobs):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for child in (web, jobs):
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(5)
    sys.exit(code)
