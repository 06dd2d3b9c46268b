"""The sync engine in a real Chromium against a real gunicorn, for cases a review found:
a corrected interview is really sent, new survey versions reach a paired phone, a conflict
after a lost answer gets its own files uploaded, and one failing file blocks nobody."""

from __future__ import annotations

import hashlib
import json

import pytest
import requests
from helpers import household_item
from pwa.phone import JPEG, pair_in_the_app, store_photo

pytestmark = pytest.mark.browser
HOUSEHOLD_JSON = "server/demo/data/household_survey.json"


@pytest.fixture
def bare(pwa, browser):
    """The app in a page without its service worker: routed requests (failures staged by
    the test) then cannot be bypassed by a Background Sync in the worker."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{pwa.server.url}/app/")
    yield type(pwa)(pwa.server, page, pwa.app)
    context.close()


def _posts(pwa) -> list[str]:
    posts: list[str] = []
    pwa.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def _server_has_photo(pwa, token: str) -> bool:
    """PUT answers 200 when the server already held the file, 201 when it is new."""
    sha = hashlib.sha256(JPEG).hexdigest()
    answer = requests.put(f"{pwa.server.url}/api/v1/attachments/{sha}", data=JPEG, timeout=10,
                          headers={"Content-Type": "image/jpeg",
                                   "Authorization": f"Bearer {token}"})
    assert answer.status_code in (200, 201)
    return answer.status_code == 200


def test_a_fixed_interview_the_server_already_held_is_sent_again(pwa):
    pwa.pair()
    token = pwa.js("return db.getSetting('token')")
    sha = hashlib.sha256(JPEG).hexdigest()
    # the photo is not on the phone: the server stores the interview, the file cannot follow
    item = household_item(answers={"problem_photo": sha}, attachments=[sha])
    pwa.queue([item])
    pwa.wait_counts(waiting=0, attention=1, sent=0)
    assert pwa.stored([item["uuid"]]) == {item["uuid"]: 1}
    # the promoter fixes it (the photo is taken again, an answer corrected) and finishes
    assert store_photo(pwa) == sha
    posts = _posts(pwa)
    pwa.js("""await db.reopenRejected(arg);
        const draft = await db.getDraft(arg);
        await db.saveDraft({...draft, answers: {...draft.answers, household_size: 5}});
        await db.finalize(arg);""", item["uuid"])
    pwa.wait_counts(drafts=0, waiting=0, attention=0, sent=1)
    # the corrected payload was POSTed: the server keeps the first and records this one
    assert any(url.endswith("/api/v1/submissions") for url in posts)
    assert pwa.js("return db.getSent(arg)", item["uuid"])["outcome"] == "conflict"
    assert pwa.stored([item["uuid"]]) == {item["uuid"]: 1}
    assert _server_has_photo(pwa, token)


def test_a_new_survey_version_reaches_a_paired_phone_when_it_syncs(pwa, tmp_path):
    pair_in_the_app(pwa)
    versions = "(await db.latestSurveys()).find((s) => s.code === 'moq-household').version"
    assert pwa.js(f"return {versions}") == 1
    definition = json.loads(open(HOUSEHOLD_JSON, encoding="utf-8").read())
    definition["title"] = {key: f"{value} (2)" for key, value in definition["title"].items()}
    path = tmp_path / "household_v2.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    pwa.server.willay("surveys", "publish", "moq-household", str(path))
    pwa.js("await sync.syncNow()")
    assert pwa.js(f"return {versions}") == 2
    titles = pwa.js("return (await db.latestSurveys())"
                    ".find((s) => s.code === 'moq-household').title")
    assert all(title.endswith("(2)") for title in titles.values())


def test_a_conflict_after_a_lost_answer_is_sent_again_with_its_photo(pwa):
    pwa.pair()
    token = pwa.js("return db.getSetting('token')")
    pwa.page.context.set_offline(True)
    sha = store_photo(pwa)
    mine = household_item(answers={"problem_photo": sha}, attachments=[sha])
    pwa.queue([mine])
    # the server already holds this UUID with other content (no photo)
    other = {**mine, "answers": {**household_item()["answers"], "household_size": 7},
             "attachments": []}
    first = requests.post(f"{pwa.server.url}/api/v1/submissions", json={"submissions": [other]},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert first["results"][0]["outcome"] == "stored"
    # this phone's upload was in flight when the connection broke: its answer was lost
    pwa.js("await db.updateOutbox([arg], (i) => ({...i, uncertain: true}))", mine["uuid"])
    pwa.page.context.set_offline(False)
    pwa.wait_counts(waiting=0, attention=0, sent=1)
    sent = pwa.js("return db.getSent(arg)", mine["uuid"])
    assert sent["outcome"] == "conflict"  # shown as "sent, under review", not as arrived
    assert pwa.stored([mine["uuid"]]) == {mine["uuid"]: 1}
    assert _server_has_photo(pwa, token)  # the conflict's own file was uploaded


def test_a_file_that_keeps_failing_holds_back_only_its_own_interview(bare):
    pwa = bare
    pwa.pair()
    token = pwa.js("return db.getSetting('token')")
    sha = store_photo(pwa)
    failing = f"**/api/v1/attachments/{sha}"
    pwa.page.context.route(failing, lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "unavailable", "message": "try later", "details": {}}}'))
    with_photo = household_item(answers={"problem_photo": sha}, attachments=[sha])
    others = [household_item() for _ in range(3)]
    pwa.queue([with_photo, *others])
    pwa.wait_counts(waiting=1, attention=0, sent=3)
    assert pwa.js("return db.getOutboxItem(arg)", with_photo["uuid"])["state"] == "queued"
    assert pwa.stored(i["uuid"] for i in [with_photo, *others]) == {
        i["uuid"]: 1 for i in [with_photo, *others]}
    # the file gets through later: the interview follows, sent once
    posts = _posts(pwa)
    pwa.page.context.unroute(failing)
    pwa.js("await sync.syncNow()")
    pwa.wait_counts(waiting=0, attention=0, sent=4)
    # its answer had arrived: the server is only asked which files it lacks
    assert any(url.endswith("/submissions/status") for url in posts), posts
    assert not any(url.endswith("/api/v1/submissions") for url in posts)
    assert _server_has_photo(pwa, token)
    assert pwa.stored([with_photo["uuid"]]) == {with_photo["uuid"]: 1}


def _refuse_photo(pwa, sha: str, status: int, code: str, times: int) -> list[int]:
    """The server refuses this photo's upload `times` times, then takes it."""
    seen: list[int] = []

    def handle(route):
        seen.append(1)
        if len(seen) > times:
            route.fallback()
            return
        route.fulfill(status=status, content_type="application/json",
                      body=json.dumps({"error": {"code": code, "message": code, "details": {}}}))

    pwa.page.context.route(f"**/api/v1/attachments/{sha}", handle)
    return seen


def test_a_photo_damaged_on_the_way_is_uploaded_again(bare):
    pwa = bare
    pwa.pair()
    token = pwa.js("return db.getSetting('token')")
    sha = store_photo(pwa)
    seen = _refuse_photo(pwa, sha, 422, "hash_mismatch", times=2)
    item = household_item(answers={"problem_photo": sha}, attachments=[sha])
    pwa.queue([item])
    pwa.wait_counts(waiting=0, attention=0, sent=1)
    assert len(seen) == 3
    assert _server_has_photo(pwa, token)


def test_an_unpaired_phone_keeps_its_interview_queued_while_its_photo_is_refused(bare):
    pwa = bare
    pwa.pair()
    sha = store_photo(pwa)
    seen = _refuse_photo(pwa, sha, 401, "unauthorized", times=1_000)
    item = household_item(answers={"problem_photo": sha}, attachments=[sha])
    pwa.queue([item])
    pwa.poll("import('/app/sync.js').then((s) => s.syncStatus().state === 'error')")
    assert seen
    assert pwa.counts() == {"drafts": 0, "waiting": 1, "attention": 0, "sent": 0}
