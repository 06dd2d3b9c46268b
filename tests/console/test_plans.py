"""Plans in the console: the list, a plan's projects with residents' feedback beside the
reported progress (real submissions through the ingest API), and the projects CSV import
(all or nothing, errors translated, audited)."""

from __future__ import annotations

import io
import re

import pytest
from helpers import feedback_item, household_item
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.plans.models import Project

PLAN = "/console/plans/PDRC-MOQ-2033"
GOOD_CSV = (
    "code,name_es,name_qu,theme,districts,responsible,progress_pct\n"
    "MOQ-NEW-013,Puente de Omate,Omate chaka,services,180201,Municipalidad de Omate,10%\n"
    "MOQ-AGU-001,Agua potable Ichuña (2.ª etapa),Ichuñapi yaku,services,180204,Muni,50\n"
).encode()
BAD_CSV = (
    b"code;name_es;name_qu;theme;districts;responsible;progress_pct\n"
    b"MOQ-NEW-013;Puente;Chaka;roads;180201;;10\n"
    b"MOQ-NEW-014;Posta;Hampina wasi;services;999999;;120\n"
)


@pytest.fixture
def app(app_factory):
    return app_factory(DASHBOARD_CACHE_SECONDS=0)


def send(client, headers, items):
    response = client.post("/api/v1/submissions", json={"submissions": items}, headers=headers)
    assert [r["outcome"] for r in response.get_json()["results"]] == ["stored"] * len(items)


def about(project, district, rating, theme="services"):
    return feedback_item(answers={"theme": theme, "project": project, "district": district,
                                  "rating": rating, "comment": "Manaraq tukunchu",
                                  "consent": "no"})


@pytest.fixture
def sent(client, demo, link_headers, device_headers):
    send(client, link_headers, [
        about("MOQ-AGU-001", "180204", 5), about("MOQ-AGU-001", "180204", 4),
        about("MOQ-AGU-001", "180204", 1), about("MOQ-PES-005", "180301", 2, "diversification"),
    ])
    send(client, device_headers, [household_item(answers={
        "district": "180201", "knows_projects": "yes", "project": "MOQ-AGU-001",
        "project_rating": 4})])


def project_row(page: str, code: str) -> list[str]:
    row = re.search(rf'<tr id="project-{code}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_the_list_shows_plans_with_their_feedback(app, sent, console_as):
    page = console_as("viewer").get("/console/plans").get_data(as_text=True)
    assert "Plan de Desarrollo Regional Concertado de Moquegua" in page
    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/console/plans/PDRC-MOQ-2033\">"
                    r".*?</tr>", page, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells == ["2023-2033", "4", "12", "5"]


def test_each_project_shows_feedback_beside_reported_progress(app, sent, console_as):
    page = console_as("viewer").get(PLAN).get_data(as_text=True)
    name, districts, progress, count, average, satisfied, ratings, statuses = project_row(
        page, "MOQ-AGU-001")
    assert "Mejoramiento del servicio de agua potable" in name
    assert districts.startswith("Ichuña")
    assert progress.startswith("35%")
    assert count == "4"
    assert average == "3.5"  # 5, 4, 1 and the promoter's 4
    assert satisfied == "75%"
    assert ratings.split() == ["★★★★★", "1", "★★★★", "2", "★★★", "0", "★★", "0", "★", "1"]
    assert "4" in statuses
    # the small chart says the same as the cells, for screen readers too
    chart = re.search(r'<tr id="project-MOQ-AGU-001">.*?<desc[^>]*>([^<]+)</desc>', page,
                      re.S).group(1)
    assert "35%" in chart and "75%" in chart
    # a project nobody talked about yet
    assert project_row(page, "MOQ-EDU-010")[3:6] == ["0", "–", "–"]


def test_a_limited_user_counts_only_their_areas(app, sent, console_as):
    page = console_as("limited").get(PLAN).get_data(as_text=True)  # province 180200
    assert project_row(page, "MOQ-AGU-001")[3] == "4"
    assert project_row(page, "MOQ-PES-005")[3] == "0"  # Ilo is outside the user's area


def test_viewers_see_aggregates_only_and_cannot_import(app, demo, client, link_headers,
                                                       console_as):
    send(client, link_headers, [feedback_item(answers={
        "theme": "services", "project": "MOQ-AGU-001", "district": "180204", "rating": 2,
        "comment": "Nadie nos avisa", "consent": "yes", "phone": "951234567"})])
    viewer = console_as("viewer")
    page = viewer.get(PLAN).get_data(as_text=True)
    assert "951234567" not in page and "Nadie nos avisa" not in page
    assert 'name="file"' not in page
    response = viewer.post(PLAN + "/import", {"file": (io.BytesIO(GOOD_CSV), "p.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_a_coordinator_imports_projects(app, demo, console_as):
    console = console_as("coordinator")
    assert 'name="file"' in console.get(PLAN).get_data(as_text=True)
    response = console.post(PLAN + "/import", {"file": (io.BytesIO(GOOD_CSV), "p.csv")},
                            content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Puente de Omate" in page and "(2.ª etapa)" in page
    assert project_row(page, "MOQ-NEW-013")[2].startswith("10%")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan_import"))
        assert event.actor == "coordinator@example.org" and event.target == "PDRC-MOQ-2033"
        assert event.details == {"file": "p.csv", "created": 1, "updated": 1}


def test_a_bad_file_imports_nothing_and_says_why_in_quechua(app, demo, console_as):
    console = console_as("coordinator")
    response = console.post(PLAN + "/import?lang=qu", {"file": (io.BytesIO(BAD_CSV), "p.csv")},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    problems = re.findall(r"<li>([^<]*\[(\w+)\][^<]*)</li>", page)
    assert {column for _text, column in problems} == {"theme", "districts", "progress_pct"}
    assert sorted(re.search(r"\d+", text).group(0) for text, _c in problems) == ["2", "3", "3"]
    assert "Unknown theme" not in page and "Nothing was imported" not in page
    with app.app_context():
        assert db.session.scalar(select(Project).where(Project.code == "MOQ-NEW-013")) is None
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "plan_import")) is None


def test_importing_without_a_file_asks_for_one(app, demo, console_as):
    response = console_as("coordinator").post(PLAN + "/import?lang=es", {},
                                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


def test_an_unknown_plan_is_not_found(app, demo, console_as):
    assert console_as("viewer").get("/console/plans/NOPE").status_code == 404


def test_a_plan_page_waiting_for_its_figures_says_so(app, sent, console_as):
    from server.dashboard.cache import FigureCache

    app.extensions["willay_dashboard_cache"] = FigureCache(3600, wait=0)
    page = console_as("viewer").get(PLAN).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in page
    assert project_row(page, "MOQ-AGU-001")[3] == "…"  # not a misleading 0
    assert project_row(page, "MOQ-AGU-001")[2].startswith("35%")  # official facts still shown
