"""Exports asked for in the console run in a real `willay worker` process, on the SQLite
queue and on Redis: progress a coordinator can follow, the file to download, the audit
trail, and a worker killed mid-job whose export still completes."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from helpers import household_item
from jobs.jobkit import add_households, wait_for
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.jobs.models import Job


def spanish(app, message: str, **values) -> str:
    """What the console says in Spanish (the catalog's text once merged, else the msgid)."""
    from flask_babel import gettext

    with app.test_request_context("/?lang=es"):
        from flask_babel import refresh

        refresh()
        return gettext(message, **values)


def ask(console, data: dict) -> int:
    asked = console.post("/console/exports?lang=es", data)
    assert asked.status_code == 303, asked.get_data(as_text=True)[:300]
    return int(asked.headers["Location"].rsplit("#job-", 1)[1])


def state(console, job_id: int) -> dict:
    answer = console.get(f"/console/exports/jobs/{job_id}?lang=es")
    assert answer.status_code == 200
    return answer.get_json()


def test_an_export_waits_for_a_worker_then_downloads(app, demo, device_headers, client,
                                                     console_as, worker):
    items = [household_item(answers={"community": f"Anexo {n}"}) for n in range(3)]
    sent = client.post("/api/v1/submissions", json={"submissions": items},
                       headers=device_headers)
    assert sent.status_code == 200
    coordinator = console_as("coordinator")
    job_id = ask(coordinator, {"survey": "moq-household"})
    waiting = state(coordinator, job_id)
    assert waiting["status"] == "queued" and waiting["download_url"] is None
    assert waiting["text"] == spanish(app, "Waiting for a worker to start it")
    page = coordinator.get("/console/exports?lang=es").get_data(as_text=True)
    assert f'id="job-{job_id}"' in page and "<progress" in page

    worker.start()
    done = wait_for(lambda: (s := state(coordinator, job_id))["status"] == "done" and s,
                    what=f"job {job_id} to finish", log=worker.output)
    assert done["done"] == done["total"] == 3 and done["percent"] == 100
    assert done["elapsed_seconds"] is not None and done["left_seconds"] == 0
    assert "3" in done["text"] and done["text"] != waiting["text"]
    download = coordinator.get(done["download_url"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data().decode("utf-8-sig"))))
    assert sorted(r["community"] for r in rows) == ["Anexo 0", "Anexo 1", "Anexo 2"]

    def actions():
        with app.app_context():
            found = [(e.action, e.details.get("rows"), e.details.get("completed"))
                     for e in db.session.scalars(select(AuditEvent).where(
                         AuditEvent.action.in_(("export", "export_download")))
                         .order_by(AuditEvent.id))]
            db.session.remove()
            return found

    # the worker completes the requesters' audit events just after it marks the job done
    wait_for(lambda: actions()[0][2], what="the export's audit event to be completed",
             log=worker.output)
    assert actions() == [("export", 3, True), ("export_download", 3, None)]


@pytest.mark.slow
def test_a_worker_killed_mid_export_loses_nothing(app, demo, console_as, worker):
    rows = 6_000
    add_households(app, rows)
    coordinator = console_as("coordinator")
    job_id = ask(coordinator, {"survey": "moq-household", "format": "xlsx"})
    worker.start()
    running = wait_for(lambda: (s := state(coordinator, job_id))["status"] == "running"
                       and s["done"] > 0 and s, every=0.05,
                       what="the export to start writing rows", log=worker.output)
    # progress a coordinator can read: rows done of the total, time elapsed and left
    assert 0 < running["done"] < running["total"] == rows
    assert 0 <= running["percent"] < 100
    assert running["elapsed_seconds"] > 0 and running["left_seconds"] is not None
    assert "6,000" in running["text"] or "6 000" in running["text"], running["text"]
    assert running["text"].count(":") >= 2  # elapsed and left, as m:ss

    worker.kill()
    lost = state(coordinator, job_id)
    assert lost["status"] in ("running", "queued") and lost["download_url"] is None
    worker.start()  # the new worker notices the lease ran out and runs it again
    done = wait_for(lambda: (s := state(coordinator, job_id))["status"] == "done" and s,
                    seconds=240, what="the export to finish again", log=worker.output)
    assert done["done"] == rows
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.attempts == 2
    download = coordinator.get(done["download_url"])
    workbook = zipfile.ZipFile(io.BytesIO(download.data))
    assert "xl/workbook.xml" in workbook.namelist()
    assert "lost its worker" in worker.output()


@pytest.mark.slow
def test_a_worker_stopped_politely_hands_its_job_back(app, demo, console_as, worker):
    add_households(app, 6_000)
    coordinator = console_as("coordinator")
    job_id = ask(coordinator, {"survey": "moq-household", "format": "xlsx"})
    worker.start()
    wait_for(lambda: state(coordinator, job_id)["done"] > 0, every=0.05,
             what="the export to start", log=worker.output)
    worker.stop()  # SIGTERM, as systemd or `willay serve` would
    assert state(coordinator, job_id)["status"] == "queued"
    worker.start()
    done = wait_for(lambda: (s := state(coordinator, job_id))["status"] == "done" and s,
                    seconds=240, what="the export to finish", log=worker.output)
    assert done["done"] == 6_000
