"""Helpers of the job tests: a real `willay worker` process, waiting with a deadline, and
many submissions written fast."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from server.extensions import db

BIN = Path(sys.executable).parent


class Worker:
    """`willay worker` in its own process, on the app's database, queue and folders."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = env
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.started = 0

    @classmethod
    def for_app(cls, app, database_url: str, log: Path) -> Worker:
        willay = app.config["WILLAY"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("WILLAY_")}
        env.update({
            "WILLAY_DATABASE_URL": database_url, "WILLAY_INSTANCE_DIR": app.instance_path,
            "WILLAY_MEDIA_DIR": willay["MEDIA_DIR"], "WILLAY_EXPORT_DIR": willay["EXPORT_DIR"],
            "WILLAY_JOBS_URL": willay["JOBS_URL"],
            "WILLAY_JOBS_LEASE_SECONDS": str(willay["JOBS_LEASE_SECONDS"]),
            "WILLAY_SECRET_KEY": "worker-test-secret", "WILLAY_LOG_LEVEL": "INFO"})
        return cls(env, log)

    def start(self) -> Worker:
        self.started += 1
        out = open(self.log, "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen([str(BIN / "willay"), "worker", "--threads", "2"],
                                     env=self.env, stdout=out, stderr=out)
        out.close()
        return self

    def kill(self) -> None:
        """As the OOM killer or a power cut would: no chance to hand anything back."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(predicate, seconds: float = 120, every: float = 0.1, what="it", log=None):
    """Poll `predicate` until it gives something true. On a timeout the message names `what`
    and ends with `log()` read then (the worker's output), not when the wait began."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    tail = f"\n{log()}" if log is not None else ""
    raise AssertionError(f"timed out after {seconds} s waiting for {what}{tail}")



def add_households(app, count: int) -> None:
    """`count` household interviews straight into the table (fast enough for 100k)."""
    from server.demo.loader import HOUSEHOLD
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion

    answers = {"district": "180101", "community": "Anexo Yacango", "household_size": 4,
               "water_source": "network_home", "water_daily": "yes",
               "water_problems": ["none"], "knows_projects": "no", "rainy_road": "good",
               "health_minutes": 30, "activities": ["agriculture"], "consent": "no"}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with app.app_context():
        survey_id, version_id = db.session.execute(
            select(Survey.id, SurveyVersion.id).join(SurveyVersion)
            .where(Survey.code == HOUSEHOLD)).first()
        for first in range(0, count, 5000):
            rows = []
            for n in range(first, min(count, first + 5000)):
                received = start + timedelta(seconds=n)
                rows.append({
                    "uuid": uuid.uuid4(), "survey_id": survey_id, "version_id": version_id,
                    "channel": "device", "answers": {**answers, "household_size": n % 12},
                    "content_hash": uuid.uuid4().hex * 2, "language": "qu",
                    "district_ubigeo": "180101", "started_at": received,
                    "completed_at": received, "received_at": received, "consent": False,
                    "status": "new", "receipt_code": f"J{n:09d}",
                    "search_text": "anexo yacango"})
            db.session.execute(insert(Submission.__table__), rows)
            db.session.commit()
