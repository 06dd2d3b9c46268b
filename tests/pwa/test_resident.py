"""Issue scenario 8 through the screens: a resident opens the public link, fills the
feedback form offline, gets a receipt once it has arrived, and later sees its status and
the coordinators' answer. Contact details travel only with consent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from pwa.fieldapp import db_call, feedback_link, wait_until
from sqlalchemy import select

pytestmark = pytest.mark.browser


def stored(app, code: str | None = None):
    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        query = select(Submission).where(Submission.channel == "public")
        if code:
            query = query.where(Submission.receipt_code == code)
        rows = [
            (s.receipt_code, dict(s.answers), s.consent, s.personal is not None)
            for s in db.session.scalars(query)
        ]
        db.session.remove()
    return rows


def answer_feedback(app, code: str, text: dict[str, str]) -> None:
    """A coordinator reviews the feedback and answers it (straight in the database)."""
    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        sub = db.session.scalar(select(Submission).where(Submission.receipt_code == code))
        sub.status = "verified"
        sub.response = text
        sub.responded_at = datetime.now(UTC)
        db.session.commit()
        db.session.remove()


def fill_feedback(page, *, consent: bool) -> None:
    page.get_by_label("Cuidado y reparto del agua: ríos, canales, represas").check()
    # the project list narrows to the chosen theme (choice_filter on the demo form)
    projects = page.get_by_label("¿Sobre qué proyecto?").locator("option")
    expect(projects).to_have_count(3)  # the empty choice and the two water projects
    expect(projects.nth(1)).to_have_text("Mejoramiento del canal de riego de Carumas")
    expect(projects.nth(2)).to_have_text("Mantenimiento de la represa Pasto Grande y sus canales")
    page.get_by_label("¿Sobre qué proyecto?").select_option("MOQ-RIE-002")
    page.get_by_label("Provincia").select_option(label="Mariscal Nieto")
    page.get_by_label("Distrito", exact=True).select_option(label="Carumas")
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("radio", name=re.compile("^2 ·")).check()
    page.get_by_label(re.compile("Cuéntanos qué has visto")).fill(
        "El canal sigue roto desde marzo.")
    if consent:
        page.get_by_label("Sí", exact=True).check()
        page.get_by_label("Tu número de celular").fill("951234567")
    else:
        page.get_by_label("Sí", exact=True).check()
        expect(page.get_by_label("Tu número de celular")).to_be_visible()
        page.get_by_label("Tu número de celular").fill("951234567")
        page.get_by_label("No", exact=True).check()  # changed their mind: the number is dropped
        expect(page.get_by_label("Tu número de celular")).to_be_hidden()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("button", name="Enviar").click()


def test_resident_sends_offline_gets_a_receipt_and_later_the_answer(
    live_server, field_context, field_page, app
):
    page = field_page
    before = stored(app)  # the demo's own feedback
    link = feedback_link(live_server)
    page.goto(f"{live_server.url}/app/#/f/{link}")
    page.get_by_role("button", name="Español").click()
    expect(
        page.get_by_role("heading", name="Cuéntanos sobre los proyectos de tu distrito")
    ).to_be_visible()
    wait_until(page, "navigator.serviceWorker.controller !== null")

    field_context.set_offline(True)
    page.reload()
    page.get_by_role("link", name="Dar tu opinión").click()
    fill_feedback(page, consent=False)
    expect(page.get_by_role("heading", name="Gracias por contarnos.")).to_be_visible()
    expect(page.get_by_text("Tu código de constancia aparecerá aquí", exact=False)).to_be_visible()
    assert stored(app) == before  # nothing left the phone while offline

    field_context.set_offline(False)
    code = page.locator(".receipt-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"), timeout=60000)
    receipt = code.inner_text()
    [(_code, answers, consent, has_personal)] = stored(app, receipt)
    assert (
        answers["theme"] == "water" and answers["rating"] == 2 and answers["district"] == "180102"
    )
    assert consent is False and not has_personal and "phone" not in answers

    page.get_by_role("link", name="Ver el estado").click()
    expect(page.get_by_text("Estado: Recibido, en espera de revisión")).to_be_visible()
    expect(page.get_by_text("Todavía no hay respuesta. Vuelve más tarde.")).to_be_visible()

    answer_feedback(
        app,
        receipt,
        {"es": "El canal se repara en enero.", "qu": "Yarqhataqa enero killapi allichanqaku."},
    )
    page.get_by_role("button", name="Runasimi").click()
    page.get_by_role("button", name="Qhaway").click()
    expect(page.get_by_text("Yarqhataqa enero killapi allichanqaku.")).to_be_visible()
    expect(page.get_by_text("Qhawarisqaña", exact=False)).to_be_visible()

    # the start page lists this phone's feedback with its receipt
    page.goto(f"{live_server.url}/app/#/f/{link}")
    expect(page.locator(".receipt-code")).to_have_text(receipt)


def test_contact_details_are_sent_only_with_consent(live_server, field_page, app):
    page = field_page
    link = feedback_link(live_server)
    page.goto(f"{live_server.url}/app/#/f/{link}")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("link", name="Dar tu opinión").click()
    fill_feedback(page, consent=True)
    code = page.locator(".receipt-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"), timeout=60000)
    [(_code, answers, consent, has_personal)] = stored(app, code.inner_text())
    assert consent is True and has_personal and "phone" not in answers
    sent = db_call(page, "return (await db.listSent(5)).map((s) => s.link)")
    assert sent == [link]
