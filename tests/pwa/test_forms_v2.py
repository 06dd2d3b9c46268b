"""The phone's v2 form engine in a real Chromium, as a promoter uses it: a household roster
whose members follow the number of people, nested repeats two deep, calculations and
outputs in labels that update while typing, add/remove with a confirmation, new types
(time, range, acknowledge), "Save and exit" from the last page, the review with its
jump back to a question, and the answers tree the server stores."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pwa.fieldapp import db_call
from pwa.forms_v2 import FINISH, HOUSEHOLD, NEXT, SAVE_EXIT, publish, sent_answers, start

pytestmark = pytest.mark.browser


@pytest.fixture
def household(live_server, field_page, app_factory, tmp_path):
    publish(app_factory, tmp_path, "v2-house", HOUSEHOLD)
    start(field_page, live_server, "v2-house")
    expect(field_page.get_by_role("heading", name="Hogar")).to_be_visible()
    return field_page


def instances(page, repeat_label: str):
    return page.locator("fieldset.instance > legend", has_text=re.compile(rf"^{repeat_label} \d+$"))


def test_a_roster_follows_the_count_with_live_calculations_and_nested_repeats(
    household, live_server, app, tmp_path
):
    page = household
    page.get_by_label("Apellido de la familia").fill("Quispe")
    page.get_by_label("¿Cuántas personas viven aquí?").fill("2")
    expect(instances(page, "Persona")).to_have_text(["Persona 1", "Persona 2"])
    # outputs in labels: the position, then the name typed a moment ago
    expect(page.locator("label[for='q-m_name__1']")).to_have_text("Nombre de la persona 2")
    page.locator("#q-m_name__0").fill("Rosa")
    expect(page.locator("label[for='q-age__0']")).to_contain_text("Edad de Rosa")
    page.locator("#q-age__0").fill("46")
    page.locator("#q-m_name__1").fill("Juan")
    page.locator("#q-age__1").fill("11")
    expect(page.get_by_text("Entre todos suman 57 años")).to_be_visible()
    # the children of the adult only; a child's vaccines: two levels deep
    first = page.locator("[data-instance='members[0]']")
    second = page.locator("[data-instance='members[1]']")
    expect(second.locator("[data-key='members[1].kids']")).to_be_hidden()
    first.get_by_role("button", name=re.compile("Hijo$")).click()
    page.locator("#q-kid_name__0_0").fill("Ana")
    page.locator("[data-instance='members[0].kids[0]']").get_by_role(
        "button", name=re.compile("Vacuna$")).click()
    page.locator("#q-vaccine__0_0_0").fill("BCG")
    first.get_by_role("button", name=re.compile("Hijo$")).last.click()
    expect(instances(page, "Hijo")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("[data-instance='members[0].kids[1]'] > .remove-instance").click()
    expect(instances(page, "Hijo")).to_have_count(2)  # "no" keeps it
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-instance='members[0].kids[1]'] > .remove-instance").click()
    expect(instances(page, "Hijo")).to_have_count(1)
    # a lower count hides the second person; the count going up again brings Juan back
    page.get_by_label("¿Cuántas personas viven aquí?").fill("1")
    expect(instances(page, "Persona")).to_have_text(["Persona 1"])
    expect(page.get_by_text("Entre todos suman 46 años")).to_be_visible()
    page.get_by_label("¿Cuántas personas viven aquí?").fill("2")
    expect(page.locator("#q-m_name__1")).to_have_value("Juan")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(tmp_path / "roster-320.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})

    page.get_by_role("button", name=NEXT).click()
    expect(page.get_by_role("heading", name="Visitas")).to_be_visible()
    page.get_by_role("button", name=re.compile("Visita$")).click()
    page.locator("#q-visit_day__0").fill("2026-11-20")
    page.locator("#q-visit_time__0").fill("09:30")
    slider = page.get_by_label("Nivel del agua")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("output.range-value")).to_have_text("6")
    page.get_by_role("button", name=NEXT).click()
    expect(page.locator("[data-question=agree] .error")).not_to_have_text("")  # required
    page.get_by_role("checkbox", name="Sí, confirmo").check()
    page.get_by_role("button", name=NEXT).click()
    expect(page.get_by_role("heading", name="Cierre")).to_be_visible()

    # save and exit from the third page: the draft keeps everything and its readable name
    page.get_by_label("Observaciones").fill("Casa de adobe")
    page.get_by_role("button", name=SAVE_EXIT).click()
    expect(page.locator("#send-now")).to_be_visible()
    drafts = db_call(page, "return await db.listDrafts()")
    assert drafts[0]["page"] == 2 and drafts[0]["meta"]["instance_name"] == "Quispe — 2 personas"
    assert drafts[0]["answers"]["members"][0]["kids"][0]["vaccines"] == [{"vaccine": "BCG"}]
    page.locator("section[aria-labelledby=drafts-title]").get_by_role("link").first.click()
    expect(page.get_by_label("Observaciones")).to_have_value("Casa de adobe")

    # the review lists every answer by page and instance; a row jumps back to its question
    page.get_by_role("button", name=NEXT).click()
    review = page.locator(".review")
    expect(review.locator("[data-key='members[1].age'] .review-value")).to_have_text("11")
    expect(review.locator("[data-key='members[0].kids[0].vaccines[0].vaccine']")).to_contain_text("BCG")
    expect(review.locator("[data-key='visit[0].visit_day'] .review-value")).to_have_text(
        "20/11/2026")
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    review.locator("[data-key='members[1].age']").click()
    expect(page.get_by_role("heading", name="Hogar")).to_be_visible()
    expect(page.locator("#q-age__1")).to_be_focused()
    page.locator("#q-age__1").fill("12")
    for _ in range(3):
        page.get_by_role("button", name=NEXT).click()
    expect(review.locator("[data-key='members[1].age'] .review-value")).to_have_text("12")
    # a survey without a place question asks for the interview's district here
    page.get_by_role("button", name=FINISH).click()
    district = page.locator("[data-key='meta.district']")
    expect(district.locator(".error")).not_to_have_text("")
    district.get_by_label("Departamento").select_option(label="Moquegua")
    district.get_by_label("Provincia").select_option(label="Mariscal Nieto")
    district.get_by_label("Distrito", exact=True).select_option(label="Carumas")
    page.get_by_role("button", name=FINISH).click()
    answers = sent_answers(page, app, "v2-house")
    assert answers["members"] == [
        {"m_pos": "1", "m_name": "Rosa", "age": 46, "adult": "yes",
         "kids": [{"kid_name": "Ana", "vaccines": [{"vaccine": "BCG"}]}]},
        {"m_pos": "2", "m_name": "Juan", "age": 12, "adult": "no"},
    ]
    assert answers["total_age"] == "58"
    assert answers["visit"] == [{"visit_day": "2026-11-20", "visit_time": "09:30"}]
    assert answers["water_level"] == 6 and answers["agree"] == "OK"
    assert answers["remarks"] == "Casa de adobe"
