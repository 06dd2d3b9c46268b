"""The portal in real Chromium on a basic phone (320 px) and a desktop (1280 px), in both
languages: nothing scrolls sideways, the resident's receipt leads to the project's update."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.extensions import db
from server.portal.models import UpdateAnswer

WIDTHS = (320, 1280)


@pytest.fixture
def portal_server(live_server, app):
    """The live server with the demo's sample feedback, and the pages worth looking at."""
    from server.demo.samples import load_samples
    from server.plans.models import Project
    from server.portal.models import PublicUpdate
    from server.submissions.models import Submission

    with app.app_context():
        load_samples()
        db.session.commit()
        project = db.session.scalar(select(Project.id).where(Project.code == "CAJ-RIE-002"))
        receipt, update_id, update_project = db.session.execute(
            select(Submission.receipt_code, PublicUpdate.id, PublicUpdate.project_id)
            .join(UpdateAnswer, UpdateAnswer.submission_id == Submission.id)
            .join(PublicUpdate, PublicUpdate.id == UpdateAnswer.update_id)).first()
        db.session.remove()
    live_server.pages = ["/", "/region/060000", "/provincia/060700", "/distrito/060701",
                         f"/proyecto/{project}", "/actor/gore-cajamarca", "/region/180000"]
    live_server.receipt = (receipt, update_id, update_project)
    return live_server


@pytest.mark.parametrize("lang", ["es", "qu"])
def test_no_page_scrolls_sideways_at_phone_and_desktop_width(portal_server, browser, lang,
                                                            tmp_path):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for path in portal_server.pages:
            page.goto(f"{portal_server.url}{path}?lang={lang}")
            assert page.locator(f"html[lang={'qu' if lang == 'qu' else 'es-PE'}]").count() == 1
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, width, scroll)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(tmp_path / f"{name}-{lang}-{width}.png"), full_page=True)
        context.close()


def look_up_receipt(page, base: str, receipt: str):
    """The home page's receipt form, in Quechua; the answer's link to its update."""
    page.goto(f"{base}/?lang=qu")
    page.fill("input[name=codigo]", receipt)
    page.click("form button[type=submit]")
    page.wait_for_url("**/recibo?**")
    link = page.locator("#answer-update")
    link.wait_for()
    assert link.count() == 1
    return link


def test_a_residents_receipt_leads_to_the_update_that_answers_it(portal_server, browser):
    receipt, update_id, project_id = portal_server.receipt
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    link = look_up_receipt(page, portal_server.url, receipt)
    link.click()
    page.wait_for_url(f"**/proyecto/{project_id}?lang=qu#update-{update_id}")
    assert page.locator(f"article#update-{update_id}").is_visible()
    assert page.locator("html[lang=qu]").count() == 1
    context.close()


def test_the_apps_receipt_screen_links_to_the_same_update(portal_server, browser):
    """The resident who checks the receipt in the phone app (no portal form) gets there too."""
    receipt, update_id, project_id = portal_server.receipt
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    page.goto(f"{portal_server.url}/app/#/receipt/{receipt}")
    link = page.locator(".receipt-result .public-update a")
    link.wait_for()
    assert link.get_attribute("href") == (f"/proyecto/{project_id}?lang=es#update-{update_id}")
    link.click()
    page.wait_for_url(f"**/proyecto/{project_id}?lang=es#update-{update_id}")
    assert page.locator(f"article#update-{update_id}").is_visible()
    context.close()


def test_a_resident_of_carumas_follows_the_canal_project_in_quechua(portal_server, app,
                                                                    browser):
    """The issue's walk: on a basic phone, in Quechua, from the home page down to the canal
    project of her district; what residents said, who committed what, what was done, and her
    own feedback answered — and nobody's words or name on the page."""
    from server.demo.samples import COMMENTS
    from server.submissions.models import Submission

    with app.app_context():
        receipt = db.session.scalar(select(Submission.receipt_code).join(
            UpdateAnswer, UpdateAnswer.submission_id == Submission.id).where(
                Submission.district_ubigeo == "180102",
                Submission.project_code == "MOQ-RIE-002"))
        db.session.remove()
    assert receipt is not None
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(f"{portal_server.url}/?lang=qu")
    for link in ("/region/180000", "/provincia/180100", "/distrito/180102"):
        page.click(f"main a[href^='{link}'], body a[href^='{link}']")
        page.wait_for_url(f"**{link}?lang=qu")
    page.click("a[href^='/proyecto/']:has-text('Carumaspi chakra qarpana yarqata')")
    page.wait_for_url("**/proyecto/*?lang=qu")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    text = page.inner_text("body")
    # what her district said: a count and a satisfaction share, not hidden
    progress, count, satisfied, answered = page.locator(".card .big").all_inner_texts()[:4]
    assert progress == "60 %" and count.isdigit() and int(count) >= 5, (progress, count)
    assert satisfied.endswith("%") and answered.endswith("%"), (satisfied, answered)
    # who committed what, with their state in Quechua
    for actor, state in (("Gobierno Regional de Moquegua", "Rurakuchkan"),
                         ("Minera Wayra Urqu S.A.C.", "Qhipakusqa")):
        card = page.locator("article, li, div.card").filter(has_text=actor).filter(
            has_text=state)
        assert card.count() >= 1, (actor, state)
    # what was done
    assert "Carumas yarqaqa 60 %-piñam" in text and "7,2 km" in text
    # nobody's words: the sample comments stay in the console
    assert not any(comment in text for _lang, comment in COMMENTS)
    # her own feedback, answered, leads back here
    answer = look_up_receipt(page, portal_server.url, receipt)
    assert "Carumas yarqaqa" in answer.inner_text()
    answer.click()
    page.wait_for_url("**/proyecto/*?lang=qu#update-*")
    context.close()
