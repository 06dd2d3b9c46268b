"""Privacy over the rendered pages: no count below k, nothing subtractable, no personal data,
free text only when marked publishable."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import re
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from server.extensions import db


def _load_attacker():
    """The attacker of test_privacy.py (interval propagation), reused as it is."""
    spec = importlib.util.spec_from_file_location(
        "portal_attacker", Path(__file__).with_name("test_privacy.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.assert_nothing_small_leaks


assert_nothing_small_leaks = _load_attacker()
SHOWN = re.compile(r'<span class="fig">([\d.,\s]+)</span>')
CAJ_FEEDBACK = "caj-feedback"


def _shown_counts(body: str) -> list[int]:
    return [int(re.sub(r"\D", "", n)) for n in SHOWN.findall(body)]


def _public_survey():
    from server.portal.models import PublicSurvey
    from server.surveys.models import Survey, SurveyVersion

    survey = db.session.scalar(select(Survey).join(PublicSurvey,
                                                   PublicSurvey.survey_id == Survey.id))
    version = db.session.scalar(select(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id, SurveyVersion.status == "published"))
    return survey, version


def _insert(survey, version, project, district, rating, days_ago, answered, i) -> None:
    from server.submissions.models import Submission

    now = datetime.now(UTC) - timedelta(days=days_ago)
    uid = uuid.uuid4()
    db.session.add(Submission(
        uuid=uid, survey_id=survey.id, version_id=version.id, channel="public",
        answers={"rating": rating, "district": district,
                 **({"project": project.code} if project else {})},
        content_hash=hashlib.sha256(uid.bytes).hexdigest(), language="es",
        district_ubigeo=district, received_at=now, status="answered" if answered else "new",
        receipt_code=f"T{i:03d}-{uid.hex[:4].upper()}",
        project_code=project.code if project else None,
        theme_code=project.theme.code if project else None,
        response={"es": "ok"} if answered else None,
        responded_at=now + timedelta(days=2) if answered else None))


def test_no_page_shows_a_count_below_k_or_a_subtractable_one(portal_app):
    """Random small datasets on two projects of the demo; every page that shows them."""
    from server.demo.loader import load_demo
    from server.plans.models import Project
    from server.portal.store import solve
    from server.submissions.models import Submission

    with portal_app.app_context():
        load_demo()
        db.session.commit()
        survey, version = _public_survey()
        projects = [p for p in db.session.scalars(
            select(Project).where(Project.code.like("CAJ-%")).order_by(Project.code))
            if p.districts][:2]
        ids = [p.id for p in projects]
        places = sorted({d.ubigeo for p in projects for d in p.districts})[:3]
    client = portal_app.test_client()

    rows = st.lists(st.tuples(st.sampled_from([0, 1, None]), st.sampled_from(places),
                              st.sampled_from([1, 2, 3, 4, 5, None]), st.integers(0, 90),
                              st.booleans()), max_size=25)

    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(rows=rows)
    def check(rows):
        with portal_app.app_context():
            db.session.execute(delete(Submission))
            mine = [db.session.get(Project, i) for i in ids]
            for i, (which, district, rating, days, answered) in enumerate(rows):
                _insert(survey, version, None if which is None else mine[which], district,
                        rating, days, answered, i)
            db.session.commit()
        with portal_app.test_request_context():
            assert_nothing_small_leaks(solve("060000")[0])
        pages = ["/", "/region/060000", *(f"/proyecto/{i}" for i in ids),
                 *(f"/distrito/{d}" for d in places), f"/provincia/{places[0][:4]}00"]
        for path in pages:
            body = client.get(path).get_data(as_text=True)
            small = [n for n in _shown_counts(body) if n < 5]
            assert not small, (path, small)
        download = client.get("/datos/060000/cifras.csv").get_data(as_text=True)
        for row in csv.DictReader(io.StringIO(download.lstrip("\ufeff"))):
            assert (row["status"] == "shown") == (row["value"] != ""), row
            assert row["value"] == "" or int(row["value"]) >= 5, row

    check()


def test_public_pages_never_show_personal_data(portal_app, sampled, public_paths):
    """Anonymous visitor × every portal page: no phone, no exact location, no other
    resident's receipt, no free text that nobody marked publishable."""
    from server.portal.models import PublishableText
    from server.submissions.models import Submission, SubmissionPersonal

    with portal_app.app_context():
        survey, _version = _public_survey()
        subs = list(db.session.scalars(select(Submission).where(
            Submission.survey_id == survey.id, Submission.project_code.is_not(None))))
        busiest = Counter(s.project_code for s in subs).most_common(1)[0][0]
        publishable, secret = [s for s in subs if s.project_code == busiest][:2]
        publishable.answers = {**publishable.answers, "comment": "Texto publicable del canal"}
        secret.answers = {**secret.answers, "comment": "Comentario privado 7741"}
        secret.latitude, secret.longitude = -7.123457, -78.654321
        db.session.add(SubmissionPersonal(submission_id=secret.id,
                                          answers={"phone": "951234567"}))
        db.session.add(PublishableText(submission_id=publishable.id, question="comment"))
        # a personal-data question can never be published, even if marked
        db.session.add(PublishableText(submission_id=secret.id, question="phone"))
        db.session.commit()
        receipts = list(db.session.scalars(select(Submission.receipt_code)))
        project_code = publishable.project_code
    client = portal_app.test_client()
    downloads = [f"/datos/{region}{tail}" for region in sampled["regions"]
                 for tail in ("/cifras.csv", "/proyectos.csv", "/compromisos.csv", ".json",
                              "/comparar.csv")]
    downloads += ["/datos/comparar.csv", "/datos/comparar.json"]
    downloads += [f"{path}/insignia.svg" for path in public_paths
                  if path.startswith("/proyecto/") and path.count("/") == 2]
    paths = [*public_paths, *downloads]
    # every portal route is visited here, so a new one is checked without editing this test
    adapter = portal_app.url_map.bind("localhost")
    visited = {adapter.match(path.split("?")[0])[0] for path in paths}
    routes = {rule.endpoint for rule in portal_app.url_map.iter_rules()
              if rule.endpoint.startswith("portal.")}
    assert routes - visited <= {"portal.update_photo"}, routes - visited
    seen_quote = False
    for path in paths:
        for lang in ("es", "qu"):
            response = client.get(f"{path}?lang={lang}")
            if response.status_code == 404 and path in downloads:
                continue  # a region without a plan has no downloads
            assert response.status_code == 200, path
            body = response.get_data(as_text=True)
            for forbidden in ("951234567", "Comentario privado 7741", "7.123457",
                              "78.654321", "7,123457", "78,654321"):
                assert forbidden not in body, (path, forbidden)
            leaked = [code for code in receipts if code in body]
            assert not leaked, (path, leaked[:3])
            seen_quote |= "Texto publicable del canal" in body
    assert seen_quote, f"the publishable text of {project_code} is quoted somewhere"
