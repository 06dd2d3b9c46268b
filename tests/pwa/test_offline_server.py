"""When the server goes away (the device still believes it is online, so no `online` event
ever fires) the app keeps the interviews and delivers them by itself once the server is
back — also when the server dies in the middle of a batch."""

from __future__ import annotations

import time

import psutil
import pytest
from helpers import household_item
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _kill_hard(server) -> None:
    """Like a power cut: SIGKILL gunicorn's master and workers, no graceful shutdown."""
    master = psutil.Process(server.proc.pid)
    for process in [*master.children(recursive=True), master]:
        process.kill()
    psutil.wait_procs([master], timeout=10)
    server.proc.wait(5)
    server.proc = None


def test_server_down_then_back_everything_arrives_without_the_user(pwa):
    pwa.pair()
    pwa.server.stop()
    items = [household_item() for _ in range(3)]
    pwa.queue(items)
    pwa.poll("import('/app/sync.js').then((s) => s.syncStatus().state === 'offline')")
    assert pwa.page.evaluate("navigator.onLine")  # the phone thinks it has signal
    # the app still opens (from its service worker) with the interviews waiting
    pwa.page.reload()
    expect(pwa.page.locator(".count.waiting strong")).to_have_text("3")
    assert pwa.counts() == {"drafts": 0, "waiting": 3, "attention": 0, "sent": 0}
    time.sleep(3)  # a few failed attempts: the retry timer backs off
    pwa.server.start()
    pwa.wait_counts(timeout=60, waiting=0, sent=3)  # no click, no reload, no online event
    assert pwa.stored(i["uuid"] for i in items) == {i["uuid"]: 1 for i in items}
    expect(pwa.page.locator(".count.sent strong")).to_have_text("3")


def test_server_killed_in_the_middle_of_a_batch_no_loss_no_duplicates(pwa):
    server = pwa.server
    server.stop()
    server.env["WILLAY_MAX_BATCH_ITEMS"] = "10"  # many small batches: the kill lands mid-way
    server.start()
    pwa.pair()
    pwa.page.context.set_offline(True)
    items = [household_item() for _ in range(200)]
    pwa.queue(items)
    uuids = [i["uuid"] for i in items]
    pwa.page.context.set_offline(False)  # the upload starts by itself
    deadline = time.monotonic() + 60
    while len(pwa.stored(uuids)) < 30 and time.monotonic() < deadline:
        time.sleep(0.02)
    _kill_hard(server)
    at_kill = len(pwa.stored(uuids))
    assert 0 < at_kill < 200, "the server must die while the outbox is being sent"
    time.sleep(2)
    counts = pwa.counts()
    assert counts["waiting"] + counts["sent"] == 200 and counts["attention"] == 0
    server.start()
    pwa.wait_counts(timeout=90, waiting=0, attention=0, sent=200)
    assert pwa.stored(uuids) == {u: 1 for u in uuids}
    receipts = pwa.js("return (await db.listSent(500)).map((s) => s.receipt)")
    assert len(receipts) == 200 and len(set(receipts)) == 200
