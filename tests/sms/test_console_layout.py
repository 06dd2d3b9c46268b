"""The console's SMS pages on a phone in Quechua and on a laptop in Spanish: nothing runs off
the screen, tables become cards at 320 px, and a transcript keeps each SMS's line breaks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pwa.test_layout_qu import OVERFLOWS
from sqlalchemy import select

from server.extensions import db
from server.submissions.models import Submission

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "coordinador@example.org", "willay-demo-2026"  # the demo's coordinator


def overflows(page) -> list[str]:
    page.wait_for_timeout(150)
    # a phone hides a card table's header row (clipped to 1 px): its words are not shown
    hidden = set(page.locator("table.sms-cards thead th").all_inner_texts()) \
        if page.viewport_size["width"] < 640 else set()
    # and a textarea's own text scrolls inside it
    return [p for p in page.evaluate(OVERFLOWS) if "overflows textarea" not in p
            and not any(p.startswith(f"“{h.strip()}”") for h in hidden)]


@pytest.mark.parametrize(("width", "language"), [(320, "qu"), (1280, "es")])
def test_the_sms_pages_fit_the_screen(live_server, browser, sms_app, sms_survey, resident,
                                      width, language):
    for text in ("RIMAY", "3", "1", "Carumas", "2", "Yarqa p'akisqa", "2"):
        resident.send(text)
    with sms_app.app_context():
        sub_id = db.session.scalars(select(Submission.id).where(
            Submission.channel == "sms")).one()
    context = browser.new_context(viewport={"width": width, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/console/sign-in?lang={language}")
        page.locator("input[name=email]").fill(EMAIL)
        page.locator("input[type=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        for path in ("/console/sms", f"/console/sms/surveys/{sms_survey}",
                     f"/console/submissions/{sub_id}", f"/console/sms/conversations/{sub_id}"):
            page.goto(f"{live_server.url}{path}?lang={language}")
            assert overflows(page) == [], f"{path} at {width} px in {language}"
        first_question = page.locator(".sms-transcript .outgoing .sms-text").nth(1)
        expect(first_question).to_have_text(re.compile(r"\?\s*\n1 "))  # its list, line by line
        assert "\n2 " in first_question.inner_text()
    finally:
        context.close()
