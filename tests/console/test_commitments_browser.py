"""In a real browser at phone width (390 px) against gunicorn: a coordinator adds a
commitment to a project, then a dated progress update with an evidence file, and sees both
on the project's page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fits(page) -> bool:
    return page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")


def test_a_commitment_is_created_end_to_end_on_a_phone(live_server, browser, tmp_path):
    from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD

    evidence = tmp_path / "acta.pdf"
    evidence.write_bytes(PDF)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/console/sign-in?lang=es")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    project = f"{live_server.url}/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001"
    page.goto(project)
    assert fits(page)
    page.click("a[href$='/projects/MOQ-AGU-001/commitments/new']")
    page.fill("input[name=code]", "MOQ-C-390")
    page.select_option("select[name=actor]", "gore-cajamarca")
    page.fill("textarea[name=what_es]", "Financiar el reservorio de Ichuña")
    page.fill("textarea[name=what_qu]", "Ichuña qarpana quchata qullqichay")
    page.fill("input[name=amount_pen]", "1 250 000,00")
    page.fill("input[name=due_date]", "2027-06-30")
    page.select_option("select[name=status]", "in_progress")
    assert fits(page)
    page.click("main button[type=submit].primary")
    page.wait_for_url("**/console/commitments/MOQ-C-390")
    assert "Financiar el reservorio de Ichuña" in page.text_content("h1")
    assert "S/ 1,250,000.00" in page.text_content("main")
    page.fill("input[name=on_date]", "2026-11-30")
    page.fill("textarea[name=text_es]", "Se firmó el acta de inicio")
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("text=Se firmó el acta de inicio")
    assert page.locator("a:has-text('acta.pdf')").count() == 1
    assert fits(page)
    page.goto(project)
    item = page.locator("#commitment-MOQ-C-390")
    assert "Financiar el reservorio de Ichuña" in item.text_content()
    page.click("details.menu > summary")  # the menu is folded at phone width
    page.click("button[lang=qu]")  # Runasimi: the Quechua text shows
    page.wait_for_selector("html[lang=qu]")
    assert "Ichuña qarpana quchata qullqichay" in page.locator(
        "#commitment-MOQ-C-390").text_content()
    context.close()
