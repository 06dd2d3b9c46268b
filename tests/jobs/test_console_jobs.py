"""The console's side of background jobs, with jobs run inside the request
(WILLAY_JOBS_URL=immediate) or left queued: sharing one job between coordinators, who may
see and download what, keeping files WILLAY_EXPORT_KEEP_DAYS and deleting them after, and
the media clean-up admins start with a dry run."""

from __future__ import annotations

import hashlib
import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import household_item
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.db_types import utcnow
from server.extensions import db
from server.jobs.models import Job, JobRequester


@pytest.fixture
def app(app_factory):
    return app_factory(JOBS_URL="immediate", EXPORT_KEEP_DAYS=3)


@pytest.fixture
def queued_app(app_factory):
    """Jobs stay queued (no worker runs here)."""
    return app_factory(JOBS_URL="")


@pytest.fixture
def interviews(client, demo, device_headers):
    sent = client.post("/api/v1/submissions", json={"submissions": [
        household_item(), household_item()]}, headers=device_headers)
    assert sent.status_code == 200


def ask(console, data: dict, status: int = 303) -> int | None:
    asked = console.post("/console/exports", data)
    assert asked.status_code == status, asked.get_data(as_text=True)[:300]
    if status == 303:
        return int(asked.headers["Location"].rsplit("#job-", 1)[1])
    return None


def jobs(app) -> list[Job]:
    with app.app_context():
        return list(db.session.scalars(select(Job).order_by(Job.id)))


def test_two_coordinators_asking_for_the_same_export_share_one_job(
        queued_app, interviews, console_as):
    first, second = console_as("coordinator"), console_as("second")
    same = {"survey": "moq-household", "format": "xlsx", "status": "new"}
    job_id = ask(first, same)
    assert ask(second, dict(same)) == job_id
    assert ask(second, {**same, "format": "csv"}) != job_id  # another export, another job
    assert ask(first, {**same, "labels": "es"}) != job_id
    assert len(jobs(queued_app)) == 3
    with queued_app.app_context():
        asked = set(db.session.scalars(select(JobRequester.user_id).where(
            JobRequester.job_id == job_id)))
        assert len(asked) == 2
        audited = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "export")).all()
    assert sorted(e.details["job"] for e in audited).count(job_id) == 2
    for console in (first, second):
        page = console.get("/console/exports").get_data(as_text=True)
        assert f'id="job-{job_id}"' in page


def test_a_kept_file_is_shared_and_each_download_is_audited(app, interviews, console_as):
    first, second = console_as("coordinator"), console_as("second")
    job_id = ask(first, {"survey": "moq-household"})
    assert ask(second, {"survey": "moq-household"}) == job_id  # done already: same file
    for console in (first, second):
        url = console.get(f"/console/exports/jobs/{job_id}").get_json()["download_url"]
        assert console.get(url).status_code == 200
    with app.app_context():
        downloads = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "export_download")).all()
        assert sorted(e.actor for e in downloads) == ["coordinator@example.org",
                                                      "second@example.org"]
        assert all(e.details["rows"] == 2 for e in downloads)


def test_only_those_who_asked_see_an_export_and_viewers_see_none(app, interviews,
                                                                  console_as):
    job_id = ask(console_as("coordinator"), {"survey": "moq-household", "personal": "on"})
    status = f"/console/exports/jobs/{job_id}"
    download = f"{status}/download"
    for who in ("second", "admin"):  # did not ask: not even told it exists
        other = console_as(who)
        assert other.get(status).status_code == 404
        assert other.get(download).status_code == 404
        assert f"job-{job_id}" not in other.get("/console/exports").get_data(as_text=True)
    viewer = console_as("viewer")
    assert viewer.get("/console/exports").status_code == 403
    assert viewer.post("/console/exports", {"survey": "moq-household"}).status_code == 403
    assert viewer.get(status).status_code == 403 and viewer.get(download).status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(status).status_code == 302
    assert anonymous.get(download).status_code == 302
    assert len(jobs(app)) == 1


def test_files_are_kept_the_configured_days_then_deleted(app, interviews, console_as):
    from server.jobs.queue import job_queue

    coordinator = console_as("coordinator")
    job_id = ask(coordinator, {"survey": "moq-household"})
    [job] = jobs(app)
    kept = job.expires_at - job.finished_at
    assert timedelta(days=3) - timedelta(seconds=5) < kept <= timedelta(days=3)
    path = Path(job.file_path)
    assert path.is_file()
    with app.app_context():  # four days later
        db.session.get(Job, job_id).expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    late = coordinator.get(f"/console/exports/jobs/{job_id}/download?lang=es")
    assert late.status_code == 303  # back to the page, with a message
    page = coordinator.get(late.headers["Location"]).get_data(as_text=True)
    assert 'class="flash' in page
    with app.app_context():
        job_queue(app).willay_tasks["purge_expired"]()  # what the worker runs periodically
    assert not path.exists() and jobs(app) == []
    assert f"job-{job_id}" not in coordinator.get("/console/exports").get_data(as_text=True)
    ask(coordinator, {"survey": "moq-household"})  # asked again: a fresh file
    [fresh] = jobs(app)
    assert fresh.file_path != str(path) and Path(fresh.file_path).is_file()


def test_the_survey_picker_lists_surveys_with_submissions_first_with_counts(
        app, interviews, console_as):
    page = console_as("coordinator").get("/console/exports").get_data(as_text=True)
    picker = page[page.index('id="export-survey"'):]
    picker = picker[:picker.index("</select>")]
    options = [line for line in picker.split("<option")[2:]]
    assert 'value="moq-household"' in options[0] and "(2)" in options[0]
    assert all("(0)" in option for option in options[1:])


def _old_unused_file(app) -> Path:
    from server.attachments.services import media_store

    data = b"a photo nobody sent an interview for"
    sha = hashlib.sha256(data).hexdigest()
    with app.app_context():
        store = media_store()
        store.save(sha, io.BytesIO(data), 1 << 20)
        path = store.path_for(sha)
    month_ago = time.time() - 30 * 86400
    os.utime(path, (month_ago, month_ago))
    return path


def test_admins_run_the_media_clean_up_as_a_job_dry_run_first(app, demo, console_as):
    orphan = _old_unused_file(app)
    admin = console_as("admin")
    assert admin.get("/console/media-cleanup").status_code == 200
    dry = admin.post("/console/media-cleanup", {"grace_days": "7", "dry_run": "on"})
    assert dry.status_code == 303
    page = admin.get("/console/media-cleanup?lang=es").get_data(as_text=True)
    assert "cleanup-report" in page and "1" in page and orphan.exists()
    [job] = jobs(app)
    assert job.status == "done" and job.result["removed"] == 1 and job.result["dry_run"]
    state = admin.get(f"/console/media-cleanup/jobs/{job.id}").get_json()
    assert state["status"] == "done" and state["percent"] == 100
    assert admin.post("/console/media-cleanup", {"grace_days": "7"}).status_code == 303
    assert not orphan.exists()
    with app.app_context():
        audited = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "media_cleanup")).all()
        assert {e.actor for e in audited} == {"admin@example.org"}


def test_only_admins_start_a_clean_up_and_bad_input_is_a_clear_error(app, demo, console_as):
    coordinator = console_as("coordinator")
    assert coordinator.get("/console/media-cleanup").status_code == 403
    assert coordinator.post("/console/media-cleanup", {"grace_days": "7"}).status_code == 403
    bad = console_as("admin").post("/console/media-cleanup?lang=es", {"grace_days": "0"})
    assert bad.status_code == 400 and 'role="alert"' in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_queue_that_cannot_be_reached_leaves_the_export_queued_not_a_500(
        app_factory, demo, people):
    from console.conftest import sign_in

    down = app_factory(JOBS_URL="redis://127.0.0.1:1/1")  # nothing listens on port 1
    coordinator = sign_in(down.test_client(), people["coordinator"])
    job_id = ask(coordinator, {"survey": "moq-household"})
    state = coordinator.get(f"/console/exports/jobs/{job_id}").get_json()
    assert state["status"] == "queued"  # a worker's housekeeping enqueues it later


def test_admins_count_the_figures_again_and_the_dashboard_is_right_again(
        app, demo, console_as, interviews):
    """Counts broken behind the app's back (a change made straight in the database) are
    counted again from the submissions by a job an admin starts; its progress and result
    show on the page."""
    from server.rollups.models import SubmissionRollup
    from server.submissions.models import Submission

    def counted() -> int:
        with app.app_context():
            return db.session.scalar(select(func.sum(SubmissionRollup.n)).where(
                SubmissionRollup.grain == "d")) or 0

    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Submission))
        db.session.execute(SubmissionRollup.__table__.delete())  # as a stray script would
        db.session.commit()
    assert stored >= 2 and counted() == 0
    admin = console_as("admin")
    page = admin.get("/console/figures?lang=es")
    assert page.status_code == 200 and "Volver a contar las cifras" in page.get_data(as_text=True)
    started = admin.post("/console/figures?lang=es", {})
    assert started.status_code == 303 and "#job-" in started.headers["Location"]
    assert counted() == stored
    [job] = [j for j in jobs(app) if j.kind == "rollups_rebuild"]
    state = admin.get(f"/console/figures/jobs/{job.id}").get_json()
    assert state["status"] == "done" and state["percent"] == 100
    done = admin.get("/console/figures?lang=es").get_data(as_text=True)
    assert f'id="job-{job.id}"' in done and f"{stored} envíos contados" in done
    qu = admin.get("/console/figures?lang=qu").get_data(as_text=True)
    assert "Volver a contar" not in qu and "<progress" in qu
    assert console_as("coordinator").get("/console/figures").status_code == 403
    assert console_as("coordinator").post("/console/figures", {}).status_code == 403
    # a finished count is not shared: asking again counts again
    again = admin.post("/console/figures?lang=es", {})
    assert again.headers["Location"] != started.headers["Location"]
    assert "ya se están volviendo a contar" not in admin.get(
        "/console/figures?lang=es").get_data(as_text=True)
    assert len([j for j in jobs(app) if j.kind == "rollups_rebuild"]) == 2


def test_two_clicks_share_one_recount(queued_app, demo, people):
    from console.conftest import sign_in

    admin = sign_in(queued_app.test_client(), people["admin"])
    first = admin.post("/console/figures?lang=es", {})
    second = admin.post("/console/figures?lang=es", {})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]  # the same #job-N
    page = admin.get("/console/figures?lang=es").get_data(as_text=True)
    assert "ya se están volviendo a contar" in page  # the second click was told so
    assert page.count("En espera: el servidor la empezará pronto") == 1  # one job, queued
    with queued_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job).where(
            Job.kind == "rollups_rebuild")) == 1
