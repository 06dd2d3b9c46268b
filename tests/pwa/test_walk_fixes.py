"""Small things seen walking the journeys at 320 px: a receipt's time ("2:27 p. m.") never
breaks inside, and the link rows end without a dangling "·" on a narrow phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_receipt_time_keeps_p_m_with_its_hour(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 720}, timezone_id="UTC")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/")
        shown = page.evaluate("""async () => {
          const { formatTime } = await import('/app/ui/dom.js');
          return formatTime('2026-12-03T19:27:00Z');
        }""")
    finally:
        context.close()
    date, _sep, time = shown.partition(", ")
    assert date == "03/12/2026", shown
    assert " " not in time, repr(shown)  # no place to break: "p." and "m." stay together
    assert "m." in time


@pytest.mark.parametrize("language", ["qu", "es_PE"])
def test_the_thank_you_links_wrap_whole_at_320_px(live_server, browser, language):
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/")
        page.evaluate("""async (language) => {
          const i18n = await import('/app/i18n.js');
          await i18n.loadLanguage(language);
          const { residentDoneScreen } = await import('/app/ui/resident.js');
          const main = document.querySelector('main') || document.body;
          await residentDoneScreen(main, { link: 'abc', uuid: 'nothing-yet' }).render();
        }""", language)
        links = page.locator("p.links")
        expect(links.locator("a")).to_have_count(2)
        assert "·" not in links.inner_text()
        # each link whole on its row, inside the screen
        boxes = [links.locator("a").nth(i).bounding_box() for i in range(2)]
        for box in boxes:
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    finally:
        context.close()
