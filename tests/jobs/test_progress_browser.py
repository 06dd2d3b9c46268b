"""In Chromium against gunicorn and a real `willay worker`: a coordinator asks for an
export, watches its progress bar move without reloading, reloads mid-way and finds it
still going, then downloads the file once it says it is ready."""

from __future__ import annotations

import io
import zipfile

import pytest
from jobs.jobkit import Worker, add_households, wait_for
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROWS = 12_000


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def live_server(app, database_url, tmp_path):
    """gunicorn with the demo, queueing jobs for a separate worker (the SQLite queue)."""
    from live import LiveServer

    from server.demo.loader import load_demo
    from server.extensions import db

    with app.app_context():
        load_demo()
        db.session.remove()
    server = LiveServer(database_url, tmp_path / "live", jobs_url="")
    server.start()
    yield server
    server.stop()


def test_the_progress_bar_reaches_ready_and_the_file_downloads(app, live_server, page,
                                                               tmp_path):
    from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD

    add_households(app, ROWS)
    env = {**live_server.env, "WILLAY_JOBS_LEASE_SECONDS": "2", "WILLAY_LOG_LEVEL": "INFO"}
    worker = Worker(env, tmp_path / "worker.log")
    try:
        page.goto(f"{live_server.url}/console/sign-in?lang=es")
        page.fill("input[name=email]", DEMO_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit].primary")
        page.goto(f"{live_server.url}/console/exports")
        page.select_option("#export-survey", "moq-household")
        page.check("input[name=format][value=xlsx]")
        page.click("form.export-form button[type=submit]")
        row = page.locator("tr.job").first
        expect(row).to_have_attribute("data-status", "queued")
        assert row.locator("progress").get_attribute("value") is None  # nothing to show yet

        worker.start()
        bar = row.locator("progress")
        # the bar moves while the page stays as it is (polled, no reload)
        wait_for(lambda: int(bar.get_attribute("value") or 0) > 0, seconds=90,
                 what="the bar to move", log=worker.output)
        assert row.get_attribute("data-status") == "running"
        page.reload()
        row = page.locator("tr.job").first
        moving = int(row.locator("progress").get_attribute("value") or 0)
        assert moving > 0 or row.get_attribute("data-status") == "done"
        link = row.locator(".job-file a")
        expect(link).to_be_visible(timeout=120_000)
        expect(row.locator("progress")).to_have_attribute("value", "100")
        assert "12,000" in row.locator(".job-text").text_content()
        with page.expect_download() as caught:
            link.click()
        saved = tmp_path / "export.xlsx"
        caught.value.save_as(saved)
        assert caught.value.suggested_filename.endswith(".xlsx")
        assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(saved.read_bytes())).namelist()
    finally:
        worker.stop()
