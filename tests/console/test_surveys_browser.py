"""In a real browser against gunicorn: a coordinator uploads an XLSForm, previews and
publishes it, opens its public link and prints the poster; a resident's phone opens the
link and sees the form."""

from __future__ import annotations

import re

import pytest
from xlsform_builders import good_form

pytestmark = pytest.mark.browser

def test_upload_publish_link_and_poster(live_server, page, browser, tmp_path):
    from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD

    form = tmp_path / "agua.xlsx"
    form.write_bytes(good_form())
    page.goto(f"{live_server.url}/console/sign-in?lang=es")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/console/surveys/upload")
    page.set_input_files("input[name=file]", str(form))
    page.uncheck("input[name=for_promoters]")  # a form for residents, through its link
    page.click("form[enctype] button[type=submit]")
    assert "agua-chacra" in page.text_content("main")
    page.click("text=Vista previa")
    assert page.locator(".lang-qu", has_text="¿Maypim tiyanki?").count() == 1
    assert page.locator(".missing").count() == 0
    page.click("main button:has-text('Publicar')")
    assert page.locator(".flash", has_text="publicada").count() == 1
    page.click("button:has-text('Abrir el enlace')")
    url = page.text_content("code.public-url").strip()
    assert re.fullmatch(re.escape(live_server.url) + r"/app/#/f/[\w-]+", url)
    page.click("a:has-text('Runasimi') >> nth=-1")  # the Quechua poster
    assert page.locator("html[lang=qu] .qr svg").count() == 1
    assert page.text_content(".url").strip() == url
    # a resident's phone (no console session) opens the link and gets the form
    resident = browser.new_context().new_page()
    resident.goto(url)
    resident.wait_for_selector("h1:has-text('Agua y chacra')", timeout=20000)
    resident.click("a.button.primary")
    resident.wait_for_selector("text=¿Dónde vives?", timeout=20000)
    resident.context.close()
