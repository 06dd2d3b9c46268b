"""Plans created and edited in the console: a plan, its themes, its projects, and project
progress reports with a date and a source; errors, area limits and the audit log."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.commitments.models import ProgressReport
from server.extensions import db
from server.plans.models import Plan, Project


@pytest.fixture
def staff(app, demo, console_as):
    return console_as("coordinator")


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def make_plan(console):
    made = console.post("/console/plans/new", {
        "code": "PDLC-ILO-2030", "name_es": "Plan de Desarrollo Local de Ilo",
        "name_qu": "Ilo llaqtap planin", "period": "2024-2030", "department": "180000"})
    assert made.status_code == 302, text_of(made)[-800:]
    added = console.post("/console/plans/PDLC-ILO-2030/themes", {
        "code": "water", "name_es": "Agua", "name_qu": "Yaku"})
    assert added.status_code == 302
    project = console.post("/console/plans/PDLC-ILO-2030/projects/new", {
        "code": "ILO-1", "name_es": "Planta de tratamiento", "name_qu": "Yaku chuyanchana",
        "theme": "water", "districts": ["180301", "180302"], "responsible": "EPS Ilo"})
    assert project.status_code == 302, text_of(project)[-800:]


def test_a_plan_is_built_in_the_console(app, staff):
    make_plan(staff)
    page = text_of(staff.get("/console/plans/PDLC-ILO-2030"))
    assert "Plan de Desarrollo Local de Ilo" in page and "Planta de tratamiento" in page
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "ILO-1"))
        assert {d.ubigeo for d in project.districts} == {"180301", "180302"}
    assert actions(app)[-3:] == ["plan_create", "theme_create", "project_create"]


def test_plans_themes_and_projects_are_edited(app, staff):
    make_plan(staff)
    assert staff.post("/console/plans/PDLC-ILO-2030/edit", {
        "name_es": "Plan de Ilo", "name_qu": "Ilo plan", "department": "180000"}
    ).status_code == 302
    assert staff.post("/console/plans/PDLC-ILO-2030/themes/water", {
        "name_es": "Agua y saneamiento", "description_es": "Redes"}).status_code == 302
    assert staff.post("/console/plans/PDLC-ILO-2030/projects/ILO-1", {
        "name_es": "Planta", "name_qu": "Planta", "theme": "water",
        "districts": ["180301"]}).status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.code == "PDLC-ILO-2030"))
        assert plan.name == {"es": "Plan de Ilo", "qu": "Ilo plan"} and plan.period is None
        assert plan.themes[0].name == {"es": "Agua y saneamiento"}
        assert [d.ubigeo for d in plan.projects[0].districts] == ["180301"]
        details = db.session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "project_update")).one()
        assert set(details["changed"]) == {"name_es", "name_qu", "responsible", "districts"}


def test_progress_reports_keep_their_history_and_the_latest_counts(app, staff):
    url = "/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001"
    for day, pct, source in (("2026-10-01", "60", "Invierte.pe"),
                             ("2026-06-01", "40", "Informe del supervisor")):
        done = staff.post(f"{url}/progress", {"on_date": day, "progress_pct": pct,
                                              "source": source})
        assert done.status_code == 302
    page = text_of(staff.get(url))
    assert page.index("2026-10-01") < page.index("2026-06-01") and "Invierte.pe" in page
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "MOQ-AGU-001"))
        assert project.progress_pct == 60  # the latest by date, not the last typed
        dates = db.session.scalars(select(ProgressReport.on_date).where(
            ProgressReport.project_id == project.id))
        assert {date(2026, 10, 1), date(2026, 6, 1)} <= set(dates)
    refused = staff.post(f"{url}/progress", {"on_date": "ayer", "progress_pct": "140"})
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Este campo es obligatorio." in page
    for field in ("on_date", "progress_pct", "source"):
        assert f'id="{field}-error"' in page, field


def test_plan_errors_are_translated(app, staff):
    staff.post("/console/language", {"lang": "qu", "next": "/console/plans"})
    refused = staff.post("/console/plans/new", {"code": "PDRC-MOQ-2033", "name_es": ""})
    assert refused.status_code == 422 and "Kaytaqa hunt'anaykipunim." in text_of(refused)
    duplicate = staff.post("/console/plans/new", {"code": "PDRC-MOQ-2033", "name_es": "Otro"})
    assert duplicate.status_code == 422 and 'id="code-error"' in text_of(duplicate)
    bad = staff.post("/console/plans/PDRC-MOQ-2033/projects/new", {
        "code": "X-1", "name_es": "X", "name_qu": "X", "theme": "nope", "districts": ["999999"]})
    assert bad.status_code == 422 and 'id="theme-error"' in text_of(bad)


def test_a_limited_coordinator_edits_only_projects_in_their_areas(app, demo, console_as):
    limited = console_as("limited")  # General Sánchez Cerro (180200)
    ok = limited.post("/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001/progress", {
        "on_date": "2026-11-01", "progress_pct": "50", "source": "Municipalidad"})
    assert ok.status_code == 302
    assert limited.post("/console/plans/PDRC-MOQ-2033/projects/MOQ-PES-005/progress", {
        "on_date": "2026-11-01", "progress_pct": "50", "source": "x"}).status_code == 403
    assert limited.post("/console/plans/PDRC-MOQ-2033/edit", {
        "name_es": "Mío"}).status_code == 403
    assert limited.post("/console/plans/new", {
        "code": "P-X", "name_es": "X", "department": "060000"}).status_code == 403
    moved = limited.post("/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001", {
        "name_es": "X", "name_qu": "X", "theme": "services", "districts": ["180301"]})
    assert moved.status_code == 422 and 'id="districts-error"' in text_of(moved)
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.code == "P-X")) is None


def test_viewers_see_the_project_page_but_no_forms(app, demo, console_as):
    page = console_as("viewer").get("/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001")
    assert page.status_code == 200
    assert "<form method=\"post\" class=\"stack narrow\"" not in page.get_data(as_text=True)


def test_a_progress_report_typed_by_mistake_is_deleted(app, staff):
    url = "/console/plans/PDRC-MOQ-2033/projects/MOQ-AGU-001"
    # after the demo's own history (its last report: 2026-09-30)
    staff.post(f"{url}/progress", {"on_date": "2026-11-01", "progress_pct": "40",
                                   "source": "Informe"})
    staff.post(f"{url}/progress", {"on_date": "2026-11-20", "progress_pct": "99",
                                   "source": "Error de tipeo"})
    page = staff.get(url).get_data(as_text=True)
    row = re.search(r'<tr id="report-(\d+)"><td>2026-11-20', page).group(1)
    delete = f"{url}/progress/{row}/delete"
    assert staff.post(delete, {}).status_code == 400
    assert staff.post(delete, {"confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Project.progress_pct).where(
            Project.code == "MOQ-AGU-001")) == 40
    assert actions(app)[-1] == "project_progress_delete"
