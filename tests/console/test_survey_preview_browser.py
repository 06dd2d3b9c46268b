"""The console's live preview and prompt recording in a real Chromium against gunicorn:
a coordinator fills a draft in the framed app in Spanish and in Quechua (skip logic, a
check and a calculation working) and nothing is kept — no draft, no outbox, no submission;
then records a question's Quechua prompt with the (fake) microphone, and the app plays it."""

from __future__ import annotations

import json
import re
import time

import pytest
from helpers import console_sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "rosa.mamani@example.org", "qhawariy preview 2026"
CODE = "edad"
SAVED_PROMPT = re.compile(rf"/console/surveys/{CODE}/versions/1/files/prompt-age-qu\.webm")


def _t(es: str, qu: str) -> dict:
    return {"es": es, "qu": qu}


DEFINITION = {
    "languages": ["es", "qu"], "default_language": "es",
    "title": _t("Edad y trabajo", "Wata llamk'aypas"),
    "pages": [{"id": "p1", "questions": [
        {"id": "age", "type": "integer", "required": True, "constraint": ". <= 120",
         "label": _t("¿Cuántos años tienes?", "¿Hayk'a watayuqmi kanki?")},
        {"id": "stage", "type": "calculate",
         "calculation": "if(${age} >= 18, 'adulto', 'menor')"},
        {"id": "stage_note", "type": "note", "label": _t("Eres ${stage}.", "${stage} kanki.")},
        {"id": "work", "type": "text", "relevance": "${age} >= 18",
         "label": _t("¿En qué trabajas?", "¿Imapitaq llamk'anki?")},
    ]}],
}


@pytest.fixture
def server(database_url, tmp_path, app):
    """gunicorn with a coordinator and the survey's draft (version 1)."""
    from live import LiveServer

    from server.surveys.services import save_uploaded_draft

    live = LiveServer(database_url, tmp_path / "live")
    live.willay("users", "create", EMAIL, "--name", "Rosa Mamani", "--role", "coordinator",
                "--password", PASSWORD)
    with app.app_context():
        save_uploaded_draft(CODE, json.loads(json.dumps(DEFINITION)), for_promoters=True,
                            user=None)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def page(media_browser, server):
    context = media_browser.new_context(locale="es-PE", permissions=["microphone"],
                                      viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    console_sign_in(page, server.url, EMAIL, PASSWORD)
    yield page
    context.close()


def _stored(frame_page) -> dict:
    """What the framed app keeps in IndexedDB: drafts and outbox items."""
    return frame_page.evaluate("""async () => {
        const db = await import('/app/db.js');
        return {drafts: (await db.listDrafts()).length, outbox: (await db.listOutbox()).length};
    }""")


def _submissions(app) -> int:
    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        count = db.session.scalar(db.select(db.func.count()).select_from(Submission))
        db.session.remove()
    return count


def _app_frame(page):
    handle = page.locator("iframe.live-preview").element_handle()
    return handle.content_frame()


def test_a_draft_is_filled_in_the_preview_and_nothing_is_kept(page, server, app):
    page.goto(f"{server.url}/console/surveys/{CODE}/versions/1")
    form = page.frame_locator("iframe.live-preview")
    age = form.get_by_label("¿Cuántos años tienes?")
    age.fill("10")
    expect(form.get_by_text("Eres menor.")).to_be_visible()
    expect(form.get_by_label("¿En qué trabajas?")).to_be_hidden()
    age.fill("150")
    form.locator("button.primary").first.click()  # Next: the check stops it
    expect(form.locator(".invalid")).to_have_count(1)
    age.fill("34")
    expect(form.get_by_text("Eres adulto.")).to_be_visible()
    form.get_by_label("¿En qué trabajas?").fill("Chacra")
    time.sleep(0.6)  # longer than the app's autosave delay: a draft would be written now
    frame = _app_frame(page)
    assert _stored(frame) == {"drafts": 0, "outbox": 0}
    # to the end, then finish
    for _ in range(4):
        if form.locator("pre[data-answers]").count():
            break
        form.locator(".nav button.primary").last.click()
        time.sleep(0.3)
    answers = json.loads(form.locator("pre[data-answers]").inner_text())
    assert answers == {"age": 34, "stage": "adulto", "work": "Chacra"}
    assert _stored(frame) == {"drafts": 0, "outbox": 0}
    assert _submissions(app) == 0
    # the same draft in Quechua
    page.goto(f"{server.url}/console/surveys/{CODE}/versions/1?lang=qu")
    form = page.frame_locator("iframe.live-preview")
    form.get_by_label("¿Hayk'a watayuqmi kanki?").fill("20")
    expect(form.get_by_text("adulto kanki.")).to_be_visible()
    expect(form.get_by_label("¿Imapitaq llamk'anki?")).to_be_visible()
    assert _stored(_app_frame(page)) == {"drafts": 0, "outbox": 0}


def test_a_prompt_recorded_in_the_console_plays_in_the_app(page, server, app):
    from server.surveys.services import get_survey

    page.goto(f"{server.url}/console/surveys/{CODE}/versions/1/prompts")
    item = page.locator('li.prompt[data-question="age"][data-lang="qu"]')
    record = item.locator("button.record")
    record.click()
    expect(record).to_have_attribute("aria-pressed", "true")
    time.sleep(1.5)
    record.click()  # stop
    item.locator(".take-panel button.primary").click()  # save
    expect(item.locator("audio")).to_have_attribute("src", SAVED_PROMPT)
    with app.app_context():
        version = get_survey(CODE).versions[-1]
        audio = version.definition["pages"][0]["questions"][0]["media"]["audio"]
        files = {f.name: f.size for f in version.files}
    assert version.number == 1 and audio == {"qu": "prompt-age-qu.webm"}
    assert files["prompt-age-qu.webm"] > 1000  # a real recording, not an empty file
    served = page.request.get(
        f"{server.url}/console/surveys/{CODE}/versions/1/files/prompt-age-qu.webm")
    assert served.ok and served.body()[:4] == b"\x1a\x45\xdf\xa3"
    # the framed app shows the Listen button in Quechua and plays the recording
    page.goto(f"{server.url}/console/surveys/{CODE}/versions/1?lang=qu")
    form = page.frame_locator("iframe.live-preview")
    form.locator("button.listen").first.click()
    frame = _app_frame(page)
    deadline = time.monotonic() + 10
    while not frame.evaluate("() => { const a = document.querySelector('audio.prompt-audio');"
                             " return !!a && (a.currentTime > 0 || a.ended); }"):
        assert time.monotonic() < deadline, "the prompt did not play"
        time.sleep(0.2)
