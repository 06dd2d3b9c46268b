"""The queue's tasks. A message carries a job's id only: what to do, for whom, and how far
it got are in the `jobs` table. The periodic tasks delete exports past their keeping time
and run the SMS channel's queue (server/sms/jobs.py); re-queuing the jobs of dead workers
is the worker's housekeeping thread (it runs every lease, not every minute)."""

from __future__ import annotations

import logging

from flask import Flask
from huey import Huey, crontab

log = logging.getLogger(__name__)


def register_tasks(queue: Huey, app: Flask) -> None:
    @queue.task(name="run_job")
    def run_job_task(job_id: int) -> None:
        from .runner import run_job

        with app.app_context():
            run_job(job_id)

    @queue.periodic_task(crontab(minute="*/15"), name="purge_expired")
    def purge_expired_task() -> None:
        from .services import purge_expired

        with app.app_context():
            purge_expired()

    from ..sms.jobs import register_sms_tasks

    queue.willay_tasks = {  # type: ignore[attr-defined]
        "run_job": run_job_task, "purge_expired": purge_expired_task,
        **register_sms_tasks(queue, app)}


def enqueue(queue: Huey, job_id: int) -> None:
    queue.willay_tasks["run_job"](job_id)  # type: ignore[attr-defined]
