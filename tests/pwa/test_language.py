"""Issue scenario 4: switching language mid-survey keeps the answers, the choice is
remembered, and with Quechua chosen no Spanish-only text is visible on any screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pwa.fieldapp import (
    NEXT,
    catalog,
    db_call,
    enrol,
    feedback_link,
    fill_household_by_ids,
    install_promoter,
    wait_for_worker,
)

pytestmark = pytest.mark.browser
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def spanish_only(server) -> set[str]:
    """Every Spanish interface text (or placeholder-free piece of one) that Quechua says
    differently."""
    es, qu = catalog(server, "es_PE"), catalog(server, "qu")
    found = set()
    for msgid, text in es.items():
        if qu.get(msgid) == text:
            continue
        for piece in PLACEHOLDER.split(text):
            piece = piece.strip(" .,:;·()/…")
            if len(piece) >= 4:
                found.add(piece)
    return found


def survey_spanish(page: Page, code: str) -> set[str]:
    """The survey's Spanish texts that differ from its Quechua ones (from the phone's copy)."""
    return set(
        db_call(
            page,
            """
        const survey = (await db.latestSurveys()).find((s) => s.code === arg);
        const out = [];
        const walk = (node) => {
          if (Array.isArray(node)) node.forEach(walk);
          else if (node && typeof node === "object") {
            if (typeof node.es === "string" && node.qu !== node.es) out.push(node.es);
            Object.values(node).forEach(walk);
          }
        };
        walk(survey.definition);
        return out;""",
            code,
        )
    )


class Screens:
    def __init__(self, page: Page, spanish: set[str]):
        self.page, self.spanish, self.seen = page, spanish, 0

    def check(self, name: str) -> None:
        expect(self.page.locator("html")).to_have_attribute("lang", "qu")
        expect(self.page.get_by_role("button", name="Runasimi")).to_have_attribute(
            "aria-pressed", "true"
        )
        visible = self.page.inner_text("body")
        # whole words only: Quechua borrows Spanish stems ("Distritoykipi")
        leaks = sorted(
            text for text in self.spanish if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", visible)
        )
        assert not leaks, f"Spanish on the {name} screen in Quechua: {leaks}"
        self.seen += 1


def test_switching_language_mid_survey_keeps_the_answers(live_server, field_page):
    page = field_page
    install_promoter(page, live_server)
    page.get_by_role("link", name="Empezar una entrevista").click()
    page.get_by_label("Provincia").select_option(label="Ilo")
    page.get_by_label("Distrito", exact=True).select_option(label="Pacocha")
    page.get_by_label(re.compile("comunidad o el anexo")).fill("Pampa Inalámbrica")
    page.get_by_label(re.compile("Cuántas personas")).fill("6")
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_label("Pozo").check()
    # typed, and the language switched before the autosave's pause is over
    page.get_by_role("button", name="Runasimi").click()
    expect(page.get_by_label("Pusu (pozo)")).to_be_checked()
    expect(page.get_by_role("heading", name="Yaku")).to_be_visible()
    page.get_by_role("button", name="Kutiy").click()
    expect(page.locator("#q-community")).to_have_value("Pampa Inalámbrica")
    expect(page.locator("#q-household_size")).to_have_value("6")
    expect(page.locator("#q-district")).to_have_value("180303")
    expect(page.get_by_text("¿Hayk'a runataq kay wasipi tiyankichik?")).to_be_visible()
    page.locator("#q-community").fill("Pampa Inalámbrica Alta")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("#q-community")).to_have_value("Pampa Inalámbrica Alta")
    page.get_by_role("button", name="Runasimi").click()
    expect(page.get_by_role("button", name="Runasimi")).to_have_attribute("aria-pressed", "true")
    assert db_call(page, "return db.getSetting('language')") == "qu"

    # after a reload: still Quechua, still the same draft and answers
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "qu")
    expect(page.locator("#q-community")).to_have_value("Pampa Inalámbrica Alta")
    draft = db_call(page, "return (await db.listDrafts())[0]")
    assert draft["answers"]["water_source"] == "well"
    assert draft["answers"]["household_size"] == 6
    assert re.fullmatch(r"[0-9a-f-]{36}", draft["uuid"]) and draft["uuid"] in page.url


def test_in_quechua_no_spanish_only_text_is_on_any_screen(live_server, field_context, field_page):
    page = field_page
    screens = Screens(page, spanish_only(live_server))
    page.goto(f"{live_server.url}/app/")
    page.get_by_role("button", name="Runasimi").click()
    expect(page.locator("#pairing-code")).to_be_visible()
    screens.check("pairing")
    page.locator("#pairing-code").fill("2345-6789")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".notice.error")).to_be_visible()
    screens.check("pairing error")

    page.goto(f"{live_server.url}/app/#pair={enrol(live_server)}")
    expect(page.locator("#send-now")).to_be_visible()
    wait_for_worker(page)
    screens.check("home")
    screens.spanish |= survey_spanish(page, "moq-household")

    page.locator("a[href^='#/new/moq-household']").click()
    screens.check("interview, first page")
    page.get_by_role("button", name=NEXT).click()  # nothing answered: required messages
    expect(page.locator(".question.invalid").first).to_be_visible()
    screens.check("interview with errors")
    page.locator("#q-household_size").fill("99")
    page.get_by_role("button", name=NEXT).click()
    expect(page.locator("[data-question=household_size] .error")).to_have_text(
        "1-manta 30-kama yupayta qillqay."
    )
    page.locator("#q-household_size").fill("")
    fill_household_by_ids(page)
    screens.check("check and finish")
    page.locator(".nav .primary").click()
    expect(page.locator("h1")).to_be_visible()
    screens.check("interview saved")

    field_context.set_offline(True)
    page.goto(f"{live_server.url}/app/#/")
    expect(page.locator("#send-now")).to_be_visible()
    screens.check("home offline")
    field_context.set_offline(False)
    page.goto(f"{live_server.url}/app/#/settings")
    expect(page.locator("#import-file")).to_be_attached()
    screens.check("settings")
    page.goto(f"{live_server.url}/app/#/receipt/2345-6789")
    expect(page.locator(".notice.error")).to_be_visible()
    screens.check("receipt not found")

    link = feedback_link(live_server)
    page.goto(f"{live_server.url}/app/#/f/{link}")
    expect(page.locator("a.big")).to_be_visible()
    screens.spanish |= survey_spanish(page, "moq-feedback")
    screens.check("resident start")
    page.locator("a.big").click()
    screens.check("feedback form")
    assert screens.seen == 12
