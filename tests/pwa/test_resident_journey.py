"""A resident's whole feedback on a cheap phone, in Quechua and in Spanish: the review names
the district (not its ubigeo) and rates with the stars' words, and no screen of the journey
(form pages, review, receipt, status) overflows at 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pwa.fieldapp import feedback_link
from pwa.test_layout_qu import OVERFLOWS

pytestmark = pytest.mark.browser
RATING_TWO = {"qu": "Mana allin", "es": "Malo"}  # the star widget's word for 2


def no_overflow(page, where: str) -> None:
    page.wait_for_timeout(150)
    problems = page.evaluate(OVERFLOWS)
    # a textarea's own text scrolls inside it: not an overflow a resident sees
    problems = [p for p in problems if "overflows textarea" not in p]
    assert problems == [], f"{where}: {problems}"


@pytest.mark.parametrize(("width", "language"), [(320, "qu"), (320, "es"), (360, "qu")])
def test_the_resident_journey_fits_and_the_review_reads_as_the_form(
        live_server, browser, width, language):
    context = browser.new_context(viewport={"width": width, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/#/f/{feedback_link(live_server)}")
        page.get_by_role("button", name="Runasimi" if language == "qu" else "Español").click()
        page.locator("a.big").click()
        page.locator("input[value=water]").check()
        page.locator("select").first.select_option("MOQ-RIE-002")
        page.locator("select").nth(1).select_option(label="Mariscal Nieto")
        page.locator("select").nth(2).select_option(label="Carumas")
        no_overflow(page, "first page")
        page.locator("button.primary").last.click()
        page.locator(".rating input[value='2']").check(force=True)
        page.locator("textarea").first.fill("El canal sigue roto desde marzo.")
        page.locator("input[value=no]").check(force=True)
        no_overflow(page, "second page")
        page.locator("button.primary").last.click()

        review = page.locator(".review")
        expect(review).to_be_visible()
        expect(review.locator("[data-key='district'] .review-value")).to_have_text(
            "Carumas (Mariscal Nieto)")
        expect(review.locator("[data-key='rating'] .review-value")).to_have_text(
            f"★★ 2 · {RATING_TWO[language]}")
        no_overflow(page, "review")

        page.locator("button.primary").last.click()
        code = page.locator(".receipt-code")
        expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"), timeout=30000)
        no_overflow(page, "receipt")
        page.locator("a[href*='receipt']").first.click()
        expect(page.locator(".receipt-code").last).to_have_text(code.inner_text())
        no_overflow(page, "status")
    finally:
        context.close()
