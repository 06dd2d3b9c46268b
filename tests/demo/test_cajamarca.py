"""The demo's second region, Cajamarca: loaded by `willay setup` beside Moquegua, its plan's
projects in Cajamarca districts, every text in Spanish and Quechua, its sample feedback in
Cajamarca, and a coordinator limited to Cajamarca who sees only Cajamarca's submissions."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources

import pytest
from sqlalchemy import func, select

from server.commitments.models import Actor, Commitment, ProgressReport
from server.demo import cajamarca
from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD, load_demo
from server.demo.samples import load_samples
from server.extensions import db
from server.places.models import Place
from server.plans.models import Plan, Project
from server.portal.models import PublicSurvey, PublicUpdate, UpdateAnswer
from server.submissions.models import Submission
from server.surveys.models import Survey
from server.users.models import User
from server.users.services import user_area_codes

DATA = resources.files("server.demo").joinpath("data")
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ROW_LINK = re.compile(r'href="/console/submissions/(\d+)"')
NEXT = re.compile(r'rel="next" href="([^"]+)"')
# loanwords the glossary spells the Quechua way (translations/GLOSSARY.md §4.2, §10)
SPANISH_SPELLINGS = re.compile(
    r"\b(proyectos?|distritos?|provincias?|municipios?|postas?|escuelas?|desagües?|yarqha\w*"
    r"|canon minero qullqi)\b", re.IGNORECASE)


@pytest.fixture
def demo_loaded(app):
    with app.app_context():
        assert load_demo() is True
        yield


@pytest.fixture
def with_samples(demo_loaded):
    assert load_samples() == 200  # 120 for Moquegua, 80 for Cajamarca
    yield


@pytest.fixture
def loaded(app):
    """The demo and its samples, with no app context left open: a test client's requests
    must each get their own (a shared one would share the signed-in user)."""
    with app.app_context():
        assert load_demo() is True and load_samples() == 200
        db.session.remove()


def files() -> dict[str, object]:
    return {name: json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
            for name in ("plan_cajamarca.json", "feedback_cajamarca.json",
                         "actors_cajamarca.json", "commitments_cajamarca.json",
                         "updates_cajamarca.json", "actors_moquegua.json",
                         "commitments_moquegua.json", "updates_moquegua.json")}


def texts(node, path="") -> list[tuple[str, dict]]:
    """Every {es, qu} text in a parsed data file, with where it is."""
    found = []
    if isinstance(node, dict):
        if "es" in node or "qu" in node:
            found.append((path, node))
        for key, value in node.items():
            found += texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += texts(value, f"{path}[{index}]")
    return found


def cajamarca_count(*where) -> int:
    survey = select(Survey.id).where(Survey.code == cajamarca.FEEDBACK).scalar_subquery()
    return db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.survey_id == survey, *where))


def sign_in(app, email: str, password: str):
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    assert CSRF.search(page), page[:3000]
    response = client.post("/console/sign-in", data={
        "email": email, "password": password, "csrf_token": CSRF.search(page).group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def listed_ids(client, url: str = "/console/submissions") -> list[int]:
    """Every submission id in the console list, following its pages."""
    ids = []
    for _page in range(20):
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)[:1000]
        html = response.get_data(as_text=True)
        ids += [int(i) for i in ROW_LINK.findall(html)]
        following = NEXT.search(html)
        if not following:
            return ids
        url = following.group(1).replace("&amp;", "&")
    raise AssertionError("the list never ended")


def test_setup_loads_both_regions(app, runner):
    with app.app_context():  # as `willay setup` runs it
        result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        plans = dict(db.session.execute(select(Plan.code, Plan.department_ubigeo)).all())
        assert plans == {"PDRC-MOQ-2033": "180000", cajamarca.PLAN: "060000"}
        for department in ("18", "06"):
            assert db.session.scalar(select(func.count()).select_from(Submission).where(
                Submission.district_ubigeo.like(department + "%"))) >= 80
        caj = db.session.scalar(select(Survey).where(Survey.code == cajamarca.FEEDBACK))
        assert caj.public_link_open and not caj.for_promoters
    # running it again loads nothing twice
    with app.app_context():
        assert runner.invoke(args=["setup"]).exit_code == 0
        assert db.session.scalar(select(func.count()).select_from(Plan)) == 2
        moquegua = json.loads(DATA.joinpath("actors_moquegua.json").read_text("utf-8"))
        assert db.session.scalar(select(func.count()).select_from(Actor)) == len(
            cajamarca.actors()) + len(moquegua["actors"])
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == len(
            cajamarca.commitments()) + 4


def test_the_plan_runs_in_cajamarca_districts_across_provinces(app, demo_loaded):
    plan = db.session.scalar(select(Plan).where(Plan.code == cajamarca.PLAN))
    assert {t.code for t in plan.themes} == {"water", "roads", "agriculture", "health",
                                             "education", "environment"}
    assert 10 <= len(plan.projects) <= 15
    provinces = set()
    for project in plan.projects:
        assert project.districts, project.code
        for place in project.districts:
            assert place.level == "district" and place.department_ubigeo == "060000"
            provinces.add(place.parent_ubigeo)
    assert len(provinces) >= 5
    assert {p.theme.code for p in plan.projects} == {t.code for t in plan.themes}
    # budgets in soles for every project; the progress history ends at the reported figure
    budgets = cajamarca.budgets()
    assert set(budgets) == {p.code for p in plan.projects}
    assert all(Decimal("100000") < b < Decimal("100000000") for b in budgets.values())
    for project in plan.projects:
        history = db.session.execute(select(ProgressReport.on_date, ProgressReport.progress_pct)
                                     .where(ProgressReport.project_id == project.id)
                                     .order_by(ProgressReport.on_date)).all()
        assert len(history) >= 2, project.code
        assert [pct for _d, pct in history] == sorted(pct for _d, pct in history)
        assert history[-1].progress_pct == project.progress_pct
        assert history[-1].on_date <= date.today()


def test_every_text_has_spanish_and_quechua(app, demo_loaded):
    checked = 0
    for name, content in files().items():
        for path, text in texts(content):
            assert set(text) == {"es", "qu"}, f"{name}{path}"
            assert all(isinstance(v, str) and v.strip() for v in text.values()), f"{name}{path}"
            if not path.endswith(".name") or not name.startswith("actors_"):
                # names of institutions stay Spanish (glossary §4.3); the rest is translated
                assert text["es"] != text["qu"], f"{name}{path}"
                assert not SPANISH_SPELLINGS.search(text["qu"]), f"{name}{path}: {text['qu']}"
            checked += 1
    for row in cajamarca.project_rows():
        assert row["name_es"] and row["name_qu"] and row["name_es"] != row["name_qu"]
        assert not SPANISH_SPELLINGS.search(row["name_qu"]), row["name_qu"]
    assert checked > 100
    # the published form and what was stored carry both languages too
    survey = db.session.scalar(select(Survey).where(Survey.code == cajamarca.FEEDBACK))
    definition = survey.versions[-1].definition
    assert all(set(t) == {"es", "qu"} for _p, t in texts(definition) if _p.endswith("label"))
    project_choices = definition["pages"][0]["questions"][1]["choices"]
    assert len(project_choices) == len(cajamarca.project_rows())
    for commitment in db.session.scalars(select(Commitment)):
        assert commitment.what_es and commitment.what_qu
        assert all(u.text_es and u.text_qu for u in commitment.updates)
    for update in db.session.scalars(select(PublicUpdate)):
        assert update.title_qu and update.body_qu and "\n\n" in update.body_qu


def cajamarca_commitments() -> list[tuple[Commitment, str]]:
    return db.session.execute(select(Commitment, Actor.type).join(Actor).join(
        Project, Project.id == Commitment.project_id).join(Plan).where(
            Plan.code == cajamarca.PLAN)).all()


def test_actors_and_commitments_cover_every_kind_and_status(app, demo_loaded):
    rows = cajamarca_commitments()
    types = {t for _c, t in rows}
    assert {"regional_government", "provincial_municipality", "district_municipality",
            "ministry", "mining_company", "civil_society"} <= types
    municipalities = {c.actor_id for c, t in rows
                      if t in ("provincial_municipality", "district_municipality")}
    assert 2 <= len(municipalities) <= 3
    assert {c.status for c, _t in rows} == {"pending", "in_progress", "fulfilled", "late",
                                           "dropped"}
    for commitment, _type in db.session.execute(select(Commitment, Actor.type).join(Actor)):
        assert (commitment.fulfilled_on is not None) == (commitment.status == "fulfilled")
        if commitment.status == "late":
            assert commitment.due_date < date(2026, 12, 1)
    amounts = {c.code: c.amount_pen for c, _t in rows if c.amount_pen is not None}
    assert amounts["CAJ-C01"] == Decimal("28800000.00")  # exact, in soles
    # public posts on several projects; the form's results count in the portal
    caj_projects = select(Project.id).join(Plan).where(Plan.code == cajamarca.PLAN)
    assert db.session.scalar(select(func.count(func.distinct(PublicUpdate.project_id))).where(
        PublicUpdate.project_id.in_(caj_projects))) >= 5
    caj = db.session.scalar(select(Survey.id).where(Survey.code == cajamarca.FEEDBACK))
    assert db.session.get(PublicSurvey, caj) is not None


def test_samples_land_in_cajamarca_districts(app, with_samples):
    survey = select(Survey.id).where(Survey.code == cajamarca.FEEDBACK).scalar_subquery()
    rows = db.session.execute(select(Submission).where(Submission.survey_id == survey)).scalars()
    rows = list(rows)
    assert len(rows) == 80
    districts = set(db.session.scalars(select(Place.ubigeo).where(
        Place.level == "district", Place.department_ubigeo == "060000")))
    assert {s.district_ubigeo for s in rows} <= districts
    assert len({s.district_ubigeo[:4] for s in rows}) >= 5  # several provinces
    assert {s.language for s in rows} == {"es", "qu"}
    codes = {p.code for p in db.session.scalar(
        select(Plan).where(Plan.code == cajamarca.PLAN)).projects}
    assert {s.project_code for s in rows if s.project_code} <= codes
    now = datetime.now(UTC)
    answered = [s for s in rows if s.responded_at is not None]
    assert len(answered) >= 20 and all(s.status == "answered" for s in answered)
    for s in rows:
        assert s.received_at <= now
        if s.responded_at:
            assert s.received_at <= s.responded_at <= now
            assert set(s.response) == {"es", "qu"}
    assert {s.status for s in rows} >= {"new", "answered", "verified"}
    # some answers point the resident to the project's public update
    assert db.session.scalar(select(func.count()).select_from(UpdateAnswer)) >= 5
    # the Moquegua samples are where they were
    assert db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.district_ubigeo.like("18%"))) == 120


def test_the_cajamarca_coordinator_sees_only_cajamarca(app, loaded):
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(
            User.email == cajamarca.COORDINATOR_EMAIL))
        assert coordinator.role == "coordinator"
        assert user_area_codes(coordinator) == ["060000"]
        in_cajamarca = set(db.session.scalars(select(Submission.id).where(
            Submission.district_ubigeo.like("06%"))))
        moquegua = db.session.scalar(select(Submission.id).where(
            Submission.district_ubigeo.like("18%")))
        db.session.remove()

    limited = sign_in(app, cajamarca.COORDINATOR_EMAIL, DEMO_PASSWORD)
    assert set(listed_ids(limited)) == in_cajamarca
    # a Moquegua submission is not there for them, not even by its address
    assert limited.get(f"/console/submissions/{moquegua}").status_code == 404
    assert listed_ids(limited, "/console/submissions?place=180000") == []
    # the dashboard's place picker offers Cajamarca's places only
    dashboard = limited.get("/console/").get_data(as_text=True)
    options = re.findall(r'<option value="(\d{6})"', dashboard)
    assert options and all(code.startswith("06") for code in options)

    admin = sign_in(app, DEMO_EMAIL, DEMO_PASSWORD)
    everything = set(listed_ids(admin))
    assert in_cajamarca < everything and moquegua in everything


def test_sample_comments_and_replies_spell_glossary_terms_the_glossary_way():
    from test_demo_language import pair_problems, word_problems

    from server.demo import cajamarca_samples

    texts = [(f"COMMENTS[{theme}]", "", text) for theme, said in cajamarca_samples.COMMENTS.items()
             for language, text in said if language == "qu"]
    texts += [(f"REPLIES[{i}]", r["es"], r["qu"]) for i, r in enumerate(cajamarca_samples.REPLIES)]
    assert len(texts) > 10
    assert word_problems(texts) + pair_problems(texts) == []
    for theme, said in cajamarca_samples.COMMENTS.items():
        assert {language for language, _text in said} == {"es", "qu"}, theme
