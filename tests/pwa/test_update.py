"""A new app version arrives while interviews wait in the outbox: it installs in the
background, waits while an interview is open, and once applied the drafts, the cached
surveys and the queue are all still there — and the queue still sends."""

from __future__ import annotations

import shutil

import pytest
from helpers import household_item
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOLD_THE_QUEUE = """() => { navigator.locks.request('willay-outbox',
    () => new Promise((release) => { window.releaseQueue = release; })); }"""


def _version(page) -> str:
    return page.evaluate("import('/app/version.js').then((m) => m.VERSION)")


def test_an_update_while_interviews_wait_keeps_them_and_they_still_send(pwa, tmp_path):
    server, page = pwa.server, pwa.page
    pwa.pair()
    surveys = pwa.js("return (await sync.refreshSurveys()).map((s) => s.code)")
    assert "moq-household" in surveys
    # keep this tab's uploads waiting, so the update happens with a full outbox
    page.evaluate(HOLD_THE_QUEUE)
    items = [household_item() for _ in range(3)]
    pwa.queue(items)
    draft = household_item()
    pwa.js("""await db.saveDraft({uuid: arg.uuid, survey: arg.survey, version: arg.version,
        channel: 'device', link: null, answers: arg.answers, attachments: [], meta: arg.meta,
        page: 1})""", draft)
    assert pwa.counts() == {"drafts": 1, "waiting": 3, "attention": 0, "sent": 0}
    old = _version(page)

    # the promoter is in the middle of an interview when the new version comes out
    page.evaluate("window.sameDocument = true")
    page.evaluate(f"location.hash = '#/i/{draft['uuid']}'")
    pwa.poll("import('/app/update.js').then((m) => m.updateState().interviewOpen)")
    changed = tmp_path / "pwa-v2"  # the server restarts with a new app: one byte differs
    shutil.copytree(pwa.app.config["WILLAY"]["PWA_DIR"], changed)
    with (changed / "styles.css").open("a") as handle:
        handle.write("\n")
    server.stop()
    server.env["WILLAY_PWA_DIR"] = str(changed)
    server.start()
    page.evaluate("import('/app/update.js').then((m) => m.checkForUpdate())")
    pwa.poll("import('/app/update.js').then((m) => m.updateReady())", timeout=30)
    expect(page.locator(".notice.update")).to_be_visible()  # "…installed when you leave…"
    assert len(page.evaluate("caches.keys()")) >= 2  # old and new shells side by side

    # it waits while the interview is open
    assert page.evaluate("import('/app/update.js').then((m) => m.applyUpdate())") is False
    page.wait_for_timeout(1500)
    assert page.evaluate("window.sameDocument") is True and _version(page) == old

    # leaving the interview applies it: the page reloads into the new version (on a busy
    # machine the switch can outlast update.js's 3 s patience: the page then reloads under
    # the old worker first and again when the new one takes over)
    page.evaluate("location.hash = '#/'")
    pwa.poll("window.sameDocument === undefined && navigator.serviceWorker.controller !== null",
             timeout=30)
    pwa.poll(f"import('/app/version.js').then((m) => m.VERSION !== '{old}')", timeout=30)
    new = _version(page)
    assert new != old
    # the old shell is removed on activate
    pwa.poll(f"""caches.keys().then((names) => JSON.stringify(names.filter((n) =>
        n.startsWith('willay-shell-'))) === '["willay-shell-{new}"]')""")

    # nothing was lost, and the new version sends what the old one queued
    pwa.wait_counts(timeout=60, drafts=1, waiting=0, attention=0, sent=3)
    assert pwa.stored(i["uuid"] for i in items) == {i["uuid"]: 1 for i in items}
    assert pwa.js("return (await db.getDraft(arg)).answers", draft["uuid"]) == draft["answers"]
    assert pwa.js("return !!(await db.getSurvey('moq-household', 1))")
