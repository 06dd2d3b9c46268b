"""Actors, commitments and their progress updates in the console: create, edit, validation
errors in the user's language, CSRF, area limits, evidence files, the audit log, and the
commitments CSV import (all or nothing)."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.commitments.models import Actor, Commitment, CommitmentUpdate
from server.extensions import db

PROJECT = "/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001"  # Ichuña, General Sánchez Cerro
ILO_PROJECT = "/console/plans/PDRC-MOQ-2033/projects/MOQ-PES-005"  # Ilo: outside 'limited'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def staff(app, demo, console_as):
    return console_as("coordinator")


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def new_actor(console, **overrides):
    form = {"code": "muni-ichuna", "type": "district_municipality",
            "name_es": "Municipalidad Distrital de Ichuña", "name_qu": "Ichuña llaqta kamachiq",
            "place": "180200"} | overrides
    return console.post("/console/actors/new", form)


def new_commitment(console, **overrides):
    form = {"code": "MOQ-C-100", "actor": "muni-ichuna",
            "what_es": "Aportar la mano de obra no calificada",
            "what_qu": "Llamkaqkunata churay", "amount_pen": "S/ 150 000,50",
            "due_date": "2027-03-31", "status": "pending"} | overrides
    return console.post(f"{PROJECT}/commitments/new", form)


def test_an_actor_is_created_listed_and_edited(app, staff):
    assert new_actor(staff).status_code == 302
    page = text_of(staff.get("/console/actors"))
    row = re.search(r'<tr id="actor-muni-ichuna">(.*?)</tr>', page).group(1)
    assert "Municipalidad Distrital de Ichuña" in row and "district_municipality" not in row
    edited = staff.post("/console/actors/muni-ichuna", {
        "type": "district_municipality", "name_es": "Municipalidad de Ichuña",
        "name_qu": "Ichuña", "place": "180200", "website": "https://muni-ichuna.example.org"})
    assert edited.status_code == 302
    with app.app_context():
        actor = db.session.scalar(select(Actor).where(Actor.code == "muni-ichuna"))
        assert actor.name_es == "Municipalidad de Ichuña"
        assert actor.website == "https://muni-ichuna.example.org"
    assert actions(app)[-2:] == ["actor_create", "actor_update"]


def test_actor_errors_in_spanish_and_quechua(app, staff):
    refused = new_actor(staff, code="bad code!", type="bank", name_es="", website="ftp://x")
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Usa letras, dígitos, puntos" in page and "Este campo es obligatorio." in page
    for field in ("code", "type", "name_es", "website"):
        assert f'id="{field}-error"' in page, field
    staff.post("/console/language", {"lang": "qu", "next": "/console/actors"})
    quechua = text_of(new_actor(staff, code="bad code!", name_es=""))
    assert "Qillqakunata, yupaykunata" in quechua and "Kaytaqa hunt'anaykipunim." in quechua
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Actor).where(
            Actor.code.in_(["bad code!", "muni-ichuna"]))) == 0


def test_a_repeated_actor_code_is_refused(app, staff):
    new_actor(staff)
    refused = new_actor(staff)
    assert refused.status_code == 422


def test_a_commitment_with_its_updates_and_evidence(app, staff):
    new_actor(staff)
    made = new_commitment(staff)
    assert made.status_code == 302 and made.headers["Location"].endswith(
        "/console/commitments/MOQ-C-100")
    page = text_of(staff.get(PROJECT))
    assert "Aportar la mano de obra no calificada" in page and "S/ 150,000.50" in page
    added = staff.post("/console/commitments/MOQ-C-100/updates", {
        "on_date": "2026-11-20", "text_es": "Se firmó el convenio", "text_qu": "Convenio firmasqa",
        "evidence_url": "https://example.org/convenio",
        "evidence": (io.BytesIO(PDF), "convenio firmado.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert added.status_code == 302, added.get_data(as_text=True)[:400]
    page = staff.get("/console/commitments/MOQ-C-100").get_data(as_text=True)
    assert "Se firmó el convenio" in page and "convenio firmado.pdf" in page
    link = re.search(r'href="(/console/commitments/MOQ-C-100/evidence/\d+)"', page).group(1)
    viewer_gets = staff.get(link)
    assert viewer_gets.status_code == 200 and viewer_gets.get_data() == PDF
    assert "attachment" in viewer_gets.headers["Content-Disposition"]
    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.code == "MOQ-C-100"))
        assert commitment.amount_pen == Decimal("150000.50")
        assert commitment.updates[0].evidence_url == "https://example.org/convenio"
    assert actions(app)[-2:] == ["commitment_create", "commitment_progress"]


def test_editing_the_status_and_fulfilled_date(app, staff):
    new_actor(staff)
    new_commitment(staff)
    edited = staff.post("/console/commitments/MOQ-C-100/edit", {
        "actor": "muni-ichuna", "what_es": "Aportar la mano de obra", "status": "fulfilled",
        "fulfilled_on": "2027-03-01", "due_date": "2027-03-31"})
    assert edited.status_code == 302
    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.code == "MOQ-C-100"))
        assert (commitment.status, commitment.fulfilled_on) == ("fulfilled", date(2027, 3, 1))
        assert commitment.amount_pen is None  # emptied
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "commitment_update")).one()
        assert event.details["status"] == ["pending", "fulfilled"]


def test_an_open_commitment_past_its_due_date_shows_as_late(app, staff):
    new_actor(staff)
    past = (date.today() - timedelta(days=3)).isoformat()
    new_commitment(staff, due_date=past, status="in_progress")
    page = text_of(staff.get("/console/commitments/MOQ-C-100"))
    assert "status-late" in page
    from server.commitments.status import count_late
    with app.app_context():
        assert count_late(("180200",)) >= 1
        assert count_late(("180300",)) == 0


def test_commitment_errors_are_shown_beside_their_fields(app, staff):
    new_actor(staff)
    refused = new_commitment(staff, actor="nobody", amount_pen="mucho", due_date="31-31-2027",
                             status="maybe", what_es="")
    assert refused.status_code == 422
    page = text_of(refused)
    for field in ("amount_pen", "due_date", "status", "what_es"):
        assert f'id="{field}-error"' in page, field
    refused = new_commitment(staff, actor="nobody")
    assert 'id="actor-error"' in text_of(refused)
    bad_file = staff.post("/console/commitments/CAJ-C01/updates", {
        "on_date": "2026-11-20", "text_es": "x",
        "evidence": (io.BytesIO(b"MZ\x90\x00"), "virus.exe", "application/x-msdownload")},
        content_type="multipart/form-data")
    assert bad_file.status_code == 422 and 'id="evidence-error"' in text_of(bad_file)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment).where(
            Commitment.code == "MOQ-C-100")) == 0
        assert db.session.scalar(select(func.count()).select_from(CommitmentUpdate).where(
            CommitmentUpdate.text_es == "x")) == 0


def test_forms_without_the_csrf_token_are_refused(app, staff):
    response = staff.post("/console/actors/new", {"code": "x", "type": "academia",
                                                  "name_es": "X"}, csrf=False)
    assert response.status_code == 400
    assert "formulario" in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Actor).where(
            Actor.code == "x")) == 0


def test_a_limited_coordinator_edits_only_their_areas(app, demo, console_as):
    limited = console_as("limited")  # General Sánchez Cerro (180200)
    assert new_actor(limited).status_code == 302
    assert new_actor(limited, code="gore-x", place="060000").status_code == 403
    assert new_commitment(limited).status_code == 302
    outside = limited.post(f"{ILO_PROJECT}/commitments/new", {
        "code": "MOQ-C-200", "actor": "muni-ichuna", "what_es": "Algo"})
    assert outside.status_code == 403
    assert limited.post("/console/commitments/CAJ-C01/edit", {
        "actor": "gore-cajamarca", "what_es": "x"}).status_code == 403
    assert limited.post("/console/commitments/CAJ-C01/updates", {
        "on_date": "2026-11-20", "text_es": "x"}).status_code == 403
    assert "Add a progress update" not in limited.get("/console/commitments/CAJ-C01").get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment).where(
            Commitment.code == "MOQ-C-200")) == 0


IMPORT = "/console/plans/PDRC-MOQ-2033/commitments/import"
HEADER = "code,project,actor,what_es,what_qu,amount_pen,due_date,status,fulfilled_on\n"


def upload(console, text: str):
    return console.post(IMPORT, {"file": (io.BytesIO(text.encode()), "compromisos.csv")},
                        content_type="multipart/form-data")


def test_a_good_commitments_file_is_imported(app, staff):
    new_actor(staff)
    done = upload(staff, HEADER
                  + "MOQ-C-1,MOQ-AGU-001,muni-ichuna,Mano de obra,Llamkaq,\"1500,50\","
                    "30/06/2027,in_progress,\n"
                  + "MOQ-C-2,MOQ-PES-005,gore-cajamarca,Asesoría,,,2027-01-01,fulfilled,"
                    "2026-12-01\n")
    assert done.status_code == 302, done.get_data(as_text=True)[-1500:]
    with app.app_context():
        one = db.session.scalar(select(Commitment).where(Commitment.code == "MOQ-C-1"))
        assert (one.amount_pen, one.due_date) == (Decimal("1500.50"), date(2027, 6, 30))
        two = db.session.scalar(select(Commitment).where(Commitment.code == "MOQ-C-2"))
        assert two.fulfilled_on == date(2026, 12, 1)
    assert actions(app)[-1] == "commitment_import"
    again = upload(staff, HEADER + "MOQ-C-1,MOQ-AGU-001,muni-ichuna,Mano de obra,,,,dropped,\n")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Commitment.status).where(
            Commitment.code == "MOQ-C-1")) == "dropped"


def test_a_bad_commitments_file_imports_nothing_and_names_each_row(app, staff):
    before = actions(app)
    bad = upload(staff, HEADER
                 + "MOQ-C-1,MOQ-AGU-001,gore-cajamarca,Bien,,,,,\n"
                 + "MOQ-C-2,NO-SUCH,gore-cajamarca,Mal,,diez,2027-13-01,maybe,\n"
                 + "MOQ-C-1,MOQ-AGU-001,nadie,,,,,,\n")
    assert bad.status_code == 400
    page = text_of(bad)
    for expected in ("Fila 3", "[project]", "[amount_pen]", "[due_date]", "[status]",
                     "Fila 4", "[actor]", "[what_es]", "[code]", "Esta columna es obligatoria."):
        assert expected in page, expected
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment).where(
            Commitment.code.like("MOQ-C-%"))) == 0
    assert actions(app) == before
    missing = upload(staff, "code,actor\nX,Y\n")
    assert missing.status_code == 400 and "project" in text_of(missing)
    nofile = staff.post(IMPORT, {})
    assert nofile.status_code == 400


def test_a_limited_coordinator_cannot_import_outside_their_areas(app, demo, console_as):
    limited = console_as("limited")
    bad = upload(limited, HEADER + "MOQ-C-9,MOQ-PES-005,gore-cajamarca,Algo,,,,,\n")
    assert bad.status_code == 400 and "[project]" in text_of(bad)


def test_the_dashboard_counts_late_commitments_in_the_users_areas(app, demo, console_as):
    def late_tile(console) -> str:
        page = text_of(console.get("/console/"))
        return re.search(r'id="headline-late">(.*?)</li>', page).group(1)

    everywhere = late_tile(console_as("coordinator"))
    assert "Compromisos atrasados" in everywhere
    with app.app_context():
        from server.commitments.status import count_late
        assert re.sub(r"<[^>]+>", "", everywhere).strip().startswith(str(count_late(())))
        assert count_late(()) >= 1  # the Cajamarca demo has late ones
    limited = late_tile(console_as("limited"))
    assert re.sub(r"<[^>]+>", "", limited).strip().startswith("0")


def test_deleting_needs_the_button_and_is_audited(app, staff):
    new_actor(staff)
    new_commitment(staff)
    staff.post("/console/commitments/MOQ-C-100/updates", {"on_date": "2026-11-20",
                                                           "text_es": "Primera reunión"})
    page = staff.get("/console/commitments/MOQ-C-100").get_data(as_text=True)
    update_url = re.search(r'action="(/console/commitments/MOQ-C-100/updates/\d+/delete)"',
                           page).group(1)
    assert staff.post(update_url, {}).status_code == 400  # a bare post deletes nothing
    assert staff.post(update_url, {"confirm": "yes"}).status_code == 302
    assert "Primera reunión" not in staff.get("/console/commitments/MOQ-C-100").get_data(
        as_text=True)
    # an actor with commitments stays
    kept = staff.post("/console/actors/muni-ichuna/delete", {"confirm": "yes"})
    assert kept.status_code == 409
    assert staff.post("/console/commitments/MOQ-C-100/delete", {}).status_code == 400
    gone = staff.post("/console/commitments/MOQ-C-100/delete", {"confirm": "yes"})
    assert gone.status_code == 302 and gone.headers["Location"].endswith(PROJECT)
    assert staff.post("/console/actors/muni-ichuna/delete", {"confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Actor).where(Actor.code == "muni-ichuna")) is None
    assert actions(app)[-3:] == ["commitment_progress_delete", "commitment_delete",
                                 "actor_delete"]


@pytest.mark.parametrize("url", [
    "/console/commitments/CAJ-C01/evidence/" + "9" * 23, "/console/commitments/" + "x" * 300,
    "/console/actors/" + "x" * 300, "/console/plans/PDRC-MOQ-2033/projects/" + "x" * 300,
    "/console/plans/PDRC-MOQ-2033/themes/" + "x" * 300,
])
def test_absurd_addresses_are_not_found(app, demo, console_as, url):
    assert console_as("admin").get(url).status_code == 404


def test_the_list_filters_by_actor_and_shown_status(app, demo, console_as):
    viewer = console_as("viewer")
    everything = text_of(viewer.get("/console/commitments"))
    assert "CAJ-C01" in everything
    by_actor = text_of(viewer.get("/console/commitments?actor=gore-cajamarca"))
    with app.app_context():
        from server.commitments.status import effective_status
        rows = db.session.execute(select(Commitment, Actor).join(Actor)).all()
        theirs = {c.code for c, a in rows if a.code == "gore-cajamarca"}
        late = {c.code for c, _a in rows if effective_status(c) == "late"}
    assert {code for code in re.findall(r'id="commitment-([\w.-]+)"', by_actor)} == theirs
    shown_late = text_of(viewer.get("/console/commitments?status=late"))
    assert set(re.findall(r'id="commitment-([\w.-]+)"', shown_late)) == late
    refused = viewer.get("/console/commitments?status=someday")
    assert refused.status_code == 400 and 'id="status-error"' in text_of(refused)


def test_import_errors_in_quechua(app, staff):
    staff.post("/console/language", {"lang": "qu", "next": "/console/plans"})
    bad = upload(staff, HEADER + "MOQ-C-1,MOQ-AGU-001,,Bien,,,,,\n")
    assert bad.status_code == 400
    page = text_of(bad)
    assert "2 kaq siq'i" in page and "Kay kulumnataqa hunt'anapunim." in page
