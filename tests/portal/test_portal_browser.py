"""The portal in real Chromium on a basic phone (320 px) and a desktop (1280 px), in both
languages: nothing scrolls sideways, the resident's receipt leads to the project's update."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.extensions import db

WIDTHS = (320, 1280)


@pytest.fixture
def portal_server(live_server, app):
    """The live server with the demo's sample feedback, and the pages worth looking at."""
    from server.demo.samples import load_samples
    from server.plans.models import Project
    from server.portal.models import PublicUpdate, UpdateAnswer
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


def test_a_residents_receipt_leads_to_the_update_that_answers_it(portal_server, browser):
    receipt, update_id, project_id = portal_server.receipt
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(f"{portal_server.url}/?lang=qu")
    page.fill("input[name=codigo]", receipt)
    page.click("form button[type=submit]")
    page.wait_for_url("**/recibo?**")
    link = page.locator("#answer-update")
    link.wait_for()
    assert link.count() == 1
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
