"""Quechua's long words fit a cheap phone: at 320 px no text overflows its box on the main
screens (pairing, home with its tiles and survey list, a form page and its errors, the
review, settings and the outbox file, a receipt, the resident form, the console sign-in).

Set WILLAY_SCREENSHOTS=/some/dir to keep a screenshot of every screen checked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pwa.fieldapp import NEXT, enrol, feedback_link, wait_for_worker

pytestmark = pytest.mark.browser

# Every visible text node against the block that holds it and that block's ancestors; a
# page that scrolls sideways is an overflow too. Returns what overflows, for the message.
OVERFLOWS = """() => {
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  const blockOf = (el) => {
    while (el && getComputedStyle(el).display.startsWith("inline")
           && !["BUTTON", "SELECT", "INPUT"].includes(el.tagName)) el = el.parentElement;
    return el;
  };
  const skipped = (el) => el.closest(".visually-hidden, .skip, [hidden], option, script, style");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const holder = node.parentElement;
    if (!text || !holder || skipped(holder) || !holder.getClientRects().length) continue;
    if (getComputedStyle(holder).visibility === "hidden") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const words = range.getBoundingClientRect();
    let box = blockOf(holder);
    const where = (el) => el.tagName.toLowerCase()
      + (el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : "");
    if (words.right > width + 1) found.push(`“${text.slice(0, 40)}” runs off the screen`);
    while (box && box !== document.body) {
      const style = getComputedStyle(box);
      if (style.position === "absolute" || style.position === "fixed") break;
      const edge = box.getBoundingClientRect();
      const pad = box === blockOf(holder) ? parseFloat(style.paddingRight) || 0 : 0;
      if (words.right > edge.right - pad + 1 || words.left < edge.left - 1) {
        const by = Math.round(words.right - edge.right + pad);
        found.push(`“${text.slice(0, 40)}” overflows ${where(box)} by ${by} px`);
        break;
      }
      box = box.parentElement;
    }
  }
  return [...new Set(found)];
}"""


class Screens:
    def __init__(self, page: Page, width: int, language: str):
        self.page, self.width, self.language, self.seen = page, width, language, []
        self.shots = os.environ.get("WILLAY_SCREENSHOTS")

    def check(self, name: str) -> None:
        self.page.wait_for_timeout(150)  # let fonts and late layout settle
        if self.shots:
            Path(self.shots).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{self.shots}/h1-{self.language}-{self.width}-"
                                      f"{re.sub(r'[^a-z0-9]+', '-', name)}.png", full_page=True)
        problems = self.page.evaluate(OVERFLOWS)
        assert problems == [], f"{name} at {self.width} px in {self.language}: {problems}"
        self.seen.append(name)


def walk_main_screens(server, browser, width: int, language: str) -> list[str]:
    context = browser.new_context(viewport={"width": width, "height": 720})
    page = context.new_page()
    screens = Screens(page, width, language)
    button = "Runasimi" if language == "qu" else "Español"
    try:
        page.goto(f"{server.url}/app/")
        page.get_by_role("button", name=button).click()
        expect(page.locator("#pairing-code")).to_be_visible()
        screens.check("pairing")

        page.goto(f"{server.url}/app/#pair={enrol(server)}")
        expect(page.locator("#send-now")).to_be_visible(timeout=20000)
        wait_for_worker(page)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".counts")).to_be_visible()
        screens.check("home")

        page.locator("a[href^='#/new/moq-household']").click()
        expect(page.locator("#q-household_size")).to_be_visible()
        screens.check("form page")
        page.get_by_role("button", name=NEXT).click()
        expect(page.locator(".question.invalid").first).to_be_visible()
        screens.check("form page with errors")
        page.locator("#q-household_size").fill("4")  # autosaved: a draft on the home screen
        page.wait_for_timeout(800)
        page.goto(f"{server.url}/app/#/")
        expect(page.locator(".counts")).to_be_visible()
        screens.check("home with a draft")
        # the tile's label agrees with its number: "1 Borrador", "0 Enviadas"
        tile_words = {"es": ("Borrador", "Enviadas"), "qu": ("Manaraq tukusqa", "Kachasqa")}
        expect(page.locator(".count.drafts span")).to_have_text(tile_words[language][0])
        expect(page.locator(".count.sent span")).to_have_text(tile_words[language][1])

        page.goto(f"{server.url}/app/#/settings")
        expect(page.locator("#import-file")).to_be_attached()
        screens.check("settings and outbox file")
        page.goto(f"{server.url}/app/#/receipt/2345-6789")
        expect(page.locator(".notice.error")).to_be_visible()
        screens.check("receipt not found")

        page.goto(f"{server.url}/app/#/f/{feedback_link(server)}")
        expect(page.locator("a.big")).to_be_visible()
        screens.check("resident start")
        page.locator("a.big").click()
        expect(page.locator(".question").first).to_be_visible()
        screens.check("feedback form")

        page.goto(f"{server.url}/console/sign-in?lang={'qu' if language == 'qu' else 'es'}")
        expect(page.locator("input[type=password]")).to_be_visible()
        screens.check("console sign-in")
    finally:
        context.close()
    return screens.seen


@pytest.mark.parametrize(("width", "language"), [(320, "qu"), (360, "qu"), (320, "es")])
def test_nothing_overflows_on_the_main_screens(live_server, browser, width, language):
    seen = walk_main_screens(live_server, browser, width, language)
    assert len(seen) == 10


def test_the_check_sees_a_word_that_does_not_fit(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/")
        page.evaluate("""() => {
          const tile = document.createElement("div");
          tile.style.cssText = "width: 90px; overflow-wrap: normal";
          tile.textContent = "Qhawarinaykipaqmi";
          document.body.append(tile);
        }""")
        problems = page.evaluate(OVERFLOWS)
    finally:
        context.close()
    assert any("Qhawarinaykipaqmi" in problem for problem in problems), problems


def test_the_home_tiles_hold_their_words_at_360_px_in_quechua(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/#pair={enrol(live_server)}")
        expect(page.locator("#send-now")).to_be_visible(timeout=20000)
        page.get_by_role("button", name="Runasimi").click()
        tile = page.locator(".count.attention")
        expect(tile).to_contain_text("Qhawarinaykipaq")
        # in one evaluation: the home screen re-renders when a sync finishes
        fits = page.evaluate("""() => {
          const tile = document.querySelector(".count.attention");
          const label = tile.querySelector("span").getBoundingClientRect();
          return label.right <= tile.getBoundingClientRect().right + 1;
        }""")
        assert fits
        assert page.evaluate(OVERFLOWS) == []
    finally:
        context.close()


def test_the_pwa_counts_read_right_in_both_languages(live_server, browser):
    """ngettext() in pwa/i18n.js with the catalogs' own plural rules."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/")
        said = page.evaluate("""async () => {
          const i18n = await import('/app/i18n.js');
          const say = (n) => i18n.ngettext("%(count)s interview was saved in the file.",
                                           "%(count)s interviews were saved in the file.", n);
          const out = {};
          for (const locale of ["es_PE", "qu"]) {
            await Promise.race([i18n.loadLanguage(locale),
              new Promise((_, no) => setTimeout(() => no(new Error("catalog timeout")), 10000))]);
            out[locale] = [say(1), say(2), say(0)];
          }
          return out;
        }""")
    finally:
        context.close()
    assert said["es_PE"] == ["Se guardó 1 entrevista en el archivo.",
                             "Se guardaron 2 entrevistas en el archivo.",
                             "Se guardaron 0 entrevistas en el archivo."]
    assert said["qu"] == ["1 tapukusqam willañiqipi waqaychasqa.",
                          "2 tapukusqam willañiqipi waqaychasqa.",
                          "0 tapukusqam willañiqipi waqaychasqa."]
