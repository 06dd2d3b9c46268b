"""The promoter's home screen: drafts to continue or delete, an interview the server
refused shown under "needs attention" with its reason, kept as a file or fixed and sent."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from helpers import household_item
from playwright.sync_api import expect
from pwa.fieldapp import db_call, install_promoter, wait_until
from sqlalchemy import select

pytestmark = pytest.mark.browser
# "Exit" on the first page, "Save and exit" on every page since issue 12
EXIT = re.compile(r"^(Salir|Guardar y salir|Save and exit)$")


def test_drafts_are_listed_continued_and_deleted(live_server, field_page):
    page = field_page
    install_promoter(page, live_server)
    expect(page.get_by_text(re.compile(r"^Usando .* de .*\.$"))).to_be_visible()  # storage status
    page.get_by_role("link", name="Empezar una entrevista").click()
    page.get_by_label(re.compile("comunidad o el anexo")).fill("Titire")
    page.get_by_role("button", name=EXIT).click()
    drafts = page.locator("section[aria-labelledby=drafts-title]")
    expect(drafts).to_contain_text("Encuesta de hogares rurales")
    expect(page.locator(".count.drafts strong")).to_have_text("1")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scroll

    drafts.get_by_role("link", name="Continuar").click()
    expect(page.locator("#q-community")).to_have_value("Titire")
    page.get_by_role("button", name=EXIT).click()

    page.once("dialog", lambda dialog: dialog.dismiss())
    drafts.get_by_role("button", name="Borrar").click()
    expect(page.locator(".count.drafts strong")).to_have_text("1")  # "no" keeps it
    page.once("dialog", lambda dialog: dialog.accept())
    drafts.get_by_role("button", name="Borrar").click()
    expect(page.locator(".count.drafts strong")).to_have_text("0")
    expect(drafts).to_have_count(0)


def test_a_refused_interview_shows_its_reason_is_kept_as_a_file_and_fixed(
    live_server, field_page, app
):
    page = field_page
    install_promoter(page, live_server)
    item = household_item(answers={"household_size": 99})
    db_call(
        page,
        """
        await db.saveDraft({uuid: arg.uuid, survey: arg.survey, version: arg.version,
          channel: 'device', link: null, answers: arg.answers, attachments: [], meta: arg.meta,
          page: 0});
        await db.finalize(arg.uuid, {completed_at: arg.meta.completed_at});""",
        item,
    )
    wait_until(
        page, "import('/app/db.js').then(async (db) => (await db.counts()).attention === 1)", 60
    )
    section = page.locator("section[aria-labelledby=attention-title]")
    expect(section).to_contain_text(
        "¿Cuántas personas viven en este hogar?: Escribe un número entre 1 y 30."
    )
    expect(page.locator(".count.attention strong")).to_have_text("1")

    with page.expect_download() as download:
        section.get_by_role("button", name="Guardar una copia").click()
    kept = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [i["uuid"] for i in kept["items"]] == [item["uuid"]]

    section.get_by_role("button", name="Corregir").click()
    expect(page.get_by_text("El servidor no aceptó esta entrevista", exact=False)).to_be_visible()
    expect(page.locator("[data-question=household_size] .error")).to_have_text(
        "Escribe un número entre 1 y 30."
    )
    assert item["uuid"] in page.url  # the same interview, not a new one
    page.locator("#q-household_size").fill("5")
    expect(page.locator("[data-question=household_size] .error")).to_have_text("")
    for _ in range(4):
        page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("button", name="Terminar y guardar").click()
    wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 1)", 60)

    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        subs = db.session.scalars(
            select(Submission).where(Submission.uuid == uuid.UUID(item["uuid"]))
        ).all()
        sizes = [s.answers["household_size"] for s in subs]
        db.session.remove()
    assert sizes == [5]
    page.get_by_role("link", name="Volver al inicio").click()
    expect(page.locator("section[aria-labelledby=attention-title]")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=sent-title]")).to_contain_text("Llegó")
