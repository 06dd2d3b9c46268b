"""One gunicorn, one Chromium and one paired phone for the whole folder: every corpus
XLSForm is imported with its files (as the console does), published, and downloaded by the
phone once; each test then fills one form on the phone and follows its answers through the
server into the exports.

The database is the session's test database, cleaned when the module ends (these fixtures
do not use the function-scoped `app`, whose cleanup would empty it between tests)."""

from __future__ import annotations

import pytest
from helpers import MOQUEGUA
from playwright.sync_api import expect
from pwa.fieldapp import enrol, wait_for_worker
from testapp import clean, make_app

from e2e_forms.flow import Phone, Server, publish_corpus


@pytest.fixture(scope="package")
def e2e_server(database_url, tmp_path_factory):
    """gunicorn and an app on the same database and media directory, every phone-fillable
    corpus form published (version 1)."""
    from live import LiveServer

    from server.demo.loader import load_demo
    from server.extensions import db

    base = tmp_path_factory.mktemp("e2e")
    app = make_app(database_url, base, MEDIA_DIR=str(base / "live" / "media"))
    clean(app)
    live = LiveServer(database_url, base / "live")
    with app.app_context():  # what `willay setup --no-samples` adds to a migrated database
        load_demo()
        db.session.remove()
    server = Server(live, app, base)
    publish_corpus(server)
    live.start()
    yield server
    live.stop()
    clean(app)


@pytest.fixture(scope="package")
def phone(media_browser, e2e_server):
    """A promoter's phone (360 px, Spanish) paired once, with every corpus survey."""
    context = media_browser.new_context(
        viewport={"width": 360, "height": 740},
        permissions=["camera", "microphone", "geolocation"], geolocation=MOQUEGUA)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{e2e_server.url}/app/#pair={enrol(e2e_server.live)}")
    expect(page.locator("#send-now")).to_be_visible(timeout=20000)
    wait_for_worker(page)
    page.get_by_role("button", name="Español").click()
    yield Phone(page, context, e2e_server)
    context.close()
