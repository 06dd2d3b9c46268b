import pytest
from helpers import MOQUEGUA

# ---- storage, outbox and sync (P1): drive pwa/db.js and pwa/sync.js from the page ----

class PwaDriver:
    """A page of the PWA on a live server, with shortcuts into its storage and sync modules."""

    MODULES = ("const db = await import('/app/db.js'); "
               "const sync = await import('/app/sync.js'); ")

    def __init__(self, server, page, app):
        self.server, self.page, self.app = server, page, app

    def open(self, path: str = "/app/") -> None:
        """Load the app and wait until its service worker controls the page."""
        self.page.goto(f"{self.server.url}{path}")
        # the app registers it on start; registering again is harmless
        self.page.evaluate("import('/app/update.js').then((m) => m.registerServiceWorker())")
        self.poll("navigator.serviceWorker.controller !== null")

    def poll(self, expression: str, timeout: float = 20):
        """Wait for a JS expression to be truthy (wait_for_function needs eval, which the
        app's CSP forbids)."""
        import time

        from playwright.sync_api import Error

        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.page.evaluate(expression)
            except Error as error:  # the page is reloading: ask the new one
                if "context was destroyed" not in str(error) and "navigat" not in str(error):
                    raise
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            time.sleep(0.1)

    def js(self, body: str, arg=None):
        """Run `body` (an async function body with `db`, `sync` and `arg` in scope)."""
        return self.page.evaluate(f"async (arg) => {{ {self.MODULES} {body} }}", arg)

    def pair(self, label: str = "phone") -> str:
        import re

        out = self.server.willay("devices", "enrol", label, "--promoter", "Rosa")
        code = re.search(r"code (\S+)", out).group(1)
        self.js("await sync.pair(arg)", code)
        return self.js("return db.getSetting('token')")

    def queue(self, items: list[dict], channel: str = "device", link: str | None = None) -> None:
        """Fill and finalize interviews the way the form screens do (draft → outbox)."""
        self.js("""
            for (const item of arg.items) {
              await db.saveDraft({uuid: item.uuid, survey: item.survey, version: item.version,
                channel: arg.channel, link: arg.link, answers: item.answers,
                attachments: item.attachments || [], meta: item.meta, page: 0});
              await db.finalize(item.uuid, {completed_at: item.meta.completed_at});
            }""", {"items": items, "channel": channel, "link": link})

    def counts(self) -> dict:
        return self.js("return db.counts()")

    def wait_counts(self, timeout: float = 30, **expected) -> dict:
        """Poll the outbox counts until they match `expected` (no user action in between)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            counts = self.counts()
            if all(counts[key] == value for key, value in expected.items()):
                return counts
            if time.monotonic() > deadline:
                raise AssertionError(f"counts stayed {counts}, expected {expected}")
            time.sleep(0.25)

    def stored(self, uuids) -> dict[str, int]:
        """What the server's database holds of these interviews: rows per UUID (so a
        duplicate would show as 2) — the demo's own sample submissions are left out."""
        import uuid as uuid_module

        from sqlalchemy import func, select

        from server.extensions import db
        from server.submissions.models import Submission

        wanted = [uuid_module.UUID(str(u)) for u in uuids]
        with self.app.app_context():
            rows = db.session.execute(select(Submission.uuid, func.count())
                                      .where(Submission.uuid.in_(wanted))
                                      .group_by(Submission.uuid)).all()
            db.session.remove()
        return {str(uuid): count for uuid, count in rows}


@pytest.fixture
def pwa(live_server, page, app):
    """The PWA opened on a live server (service worker in control), not yet paired."""
    driver = PwaDriver(live_server, page, app)
    driver.open()
    return driver


# ---- screens and forms (P2): a Chromium with a fake camera and microphone ----



@pytest.fixture
def field_context(media_browser):
    """A phone-sized context with camera, microphone and location granted (in Moquegua)."""
    context = media_browser.new_context(
        viewport={"width": 360, "height": 740}, permissions=["camera", "microphone", "geolocation"],
        geolocation=MOQUEGUA)
    yield context
    context.close()


@pytest.fixture
def field_page(field_context):
    return field_context.new_page()
