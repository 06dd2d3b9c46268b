"""The comparison pages (/comparar, /comparar/<region>) and their downloads, against a small
dataset counted by hand: regions and provinces side by side, suppressed like every other
portal page, in Spanish and Quechua."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from server.extensions import db

PAGE_LIMIT = 60 * 1024
CAJ, MOQ = "060000", "180000"
D1, D2 = "060101", "060701"  # districts of two provinces of Cajamarca (0601, 0607)
SHOWN = re.compile(r'<span class="fig">([\d.,\s]+)</span>')

# district: (rating or None, days to the answer or None) per feedback item
D1_ITEMS = [(5, None)] * 6 + [(4, None), (3, None), (3, None), (2, None), (1, None), (1, None)]
D1_ANSWERS = [1, 1, 2, 3, 5, 8, 9]  # the first seven items were answered after these days
D2_ITEMS = [(4, None)] * 10
D2_ANSWERS = [10, 10, 10, 12, 14]

# commitments: (project "A" or "B", due date, status, fulfilled on)
COMMITMENTS = [
    ("A", date(2026, 1, 10), "fulfilled", date(2026, 1, 5)),    # due, on time
    ("A", date(2026, 2, 1), "fulfilled", date(2026, 3, 1)),     # due, late fulfilment
    ("A", date(2026, 3, 1), "pending", None),                   # due, late (open past date)
    ("A", date(2099, 1, 1), "pending", None),                   # not due yet
    ("A", None, "in_progress", None),                           # no due date: not due
    ("A", date(2099, 1, 1), "fulfilled", date(2026, 6, 1)),     # settled early: on time
    ("B", date(2026, 5, 1), "fulfilled", date(2026, 5, 1)),     # on the day: on time
    ("B", date(2026, 4, 1), "dropped", None),                   # due, not on time
    ("B", date(2026, 1, 1), "fulfilled", date(2025, 12, 1)),    # on time
]


def _insert(survey, version, district: str, rating, delay, i: int) -> None:
    from server.submissions.models import Submission

    received = datetime(2026, 9, 1, 15, tzinfo=UTC) + timedelta(hours=i)
    uid = uuid.uuid4()
    db.session.add(Submission(
        uuid=uid, survey_id=survey.id, version_id=version.id, channel="public",
        answers={"district": district, **({"rating": rating} if rating else {})},
        content_hash=hashlib.sha256(uid.bytes).hexdigest(), language="es",
        district_ubigeo=district, received_at=received,
        status="answered" if delay is not None else "new",
        receipt_code=f"C{i:03d}-{uid.hex[:4].upper()}",
        response={"es": "ok"} if delay is not None else None,
        responded_at=received + timedelta(days=delay) if delay is not None else None))


@pytest.fixture
def counted(portal_app):
    """The demo's plans with only the hand-counted feedback and commitments."""
    from server.commitments.models import Actor, Commitment, CommitmentUpdate
    from server.demo.loader import load_demo
    from server.places.models import Place
    from server.plans.models import Project
    from server.portal.models import PublicSurvey
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion

    with portal_app.app_context():
        load_demo()
        db.session.execute(delete(Submission))
        db.session.execute(delete(CommitmentUpdate))
        db.session.execute(delete(Commitment))
        def public(code: str) -> tuple[Survey, SurveyVersion]:
            survey = db.session.scalar(select(Survey).join(
                PublicSurvey, PublicSurvey.survey_id == Survey.id).where(Survey.code == code))
            return survey, db.session.scalar(select(SurveyVersion).where(
                SurveyVersion.survey_id == survey.id, SurveyVersion.status == "published"))

        survey, version = public("caj-feedback")
        items = [(D1, *item) for item in D1_ITEMS] + [(D2, *item) for item in D2_ITEMS]
        delays = {D1: list(D1_ANSWERS), D2: list(D2_ANSWERS)}
        for i, (district, rating, _none) in enumerate(items):
            _insert(survey, version, district, rating,
                    delays[district].pop(0) if delays[district] else None, i)
        for i in range(4):  # Moquegua: fewer than k items
            _insert(*public("moq-feedback"), "180101", 5, 1, 100 + i)
        a, b = db.session.scalars(select(Project).where(Project.code.like("CAJ-%"))
                                  .order_by(Project.code).limit(2))
        a.districts, b.districts = [db.session.get(Place, D1)], [db.session.get(Place, D2)]
        actor = db.session.scalars(select(Actor).order_by(Actor.id)).first()
        for i, (which, due, status, done) in enumerate(COMMITMENTS):
            db.session.add(Commitment(code=f"T-{i}", project_id=(a if which == "A" else b).id,
                                      actor_id=actor.id, what_es="Obra", what_qu="Ruray",
                                      due_date=due, status=status, fulfilled_on=done))
        db.session.commit()
    return portal_app


def _csv_rows(client, path: str) -> dict[str, dict]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return {row["ubigeo"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_regions_side_by_side_match_the_hand_count(counted):
    from server.portal.place_facts import place_facts

    client = counted.test_client()
    rows = _csv_rows(client, "/datos/comparar.csv")
    assert set(rows) == {CAJ, MOQ}
    caj = rows[CAJ]
    population = place_facts(CAJ).population
    assert caj["feedback"] == "22" and caj["feedback_status"] == "shown"
    assert float(caj["per_1000"]) == round(22_000 / population, 3)
    assert (caj["rated"], caj["satisfied"], caj["satisfaction_pct"]) == ("22", "17", "77.3")
    assert (caj["answered"], caj["answered_pct"]) == ("12", "54.5")
    assert caj["median_days_to_answer"] == "8.5"  # 1 1 2 3 5 [8 9] 10 10 10 12 14
    assert (caj["commitments_due"], caj["commitments_on_time"], caj["commitments_late"],
            caj["on_time_pct"]) == ("7", "4", "1", "57.1")
    moq = rows[MOQ]  # four items: every feedback figure is hidden, commitments are not
    assert moq["feedback"] == "" and moq["feedback_status"] == "small"
    assert moq["per_1000"] == moq["satisfaction_pct"] == moq["answered_pct"] == ""
    assert moq["median_days_to_answer"] == "" and moq["commitments_due"] == "0"

    page = html.unescape(client.get("/comparar?lang=es").get_data(as_text=True))
    page = page.replace("\xa0", " ").replace("\u202f", " ")
    row = page[page.index(">Cajamarca<"):page.index(">Moquegua<")]
    assert '<span class="fig">22</span>' in row
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:1] + cells[2:5] == ["22", "77%", "55%", "8.5"], cells
    assert cells[5].startswith("57%") and re.search(r"\b4 \w+ 7\b", cells[5]), cells
    moquegua = page[page.index(">Moquegua<"):]
    assert "menos de 5" in moquegua


def test_provinces_side_by_side_match_the_hand_count(counted):
    client = counted.test_client()
    rows = _csv_rows(client, f"/datos/{CAJ}/comparar.csv")
    assert rows[CAJ]["level"] == "department" and rows[CAJ]["feedback"] == "22"
    p1, p2 = rows["060100"], rows["060700"]
    assert (p1["feedback"], p1["rated"], p1["satisfied"], p1["satisfaction_pct"]) == (
        "12", "12", "7", "58.3")
    assert (p1["answered"], p1["answered_pct"], p1["median_days_to_answer"]) == (
        "7", "58.3", "3.0")
    assert (p2["feedback"], p2["satisfaction_pct"], p2["answered_pct"],
            p2["median_days_to_answer"]) == ("10", "100.0", "50.0", "10.0")
    assert (p1["commitments_due"], p1["commitments_on_time"], p1["on_time_pct"]) == (
        "4", "2", "50.0")
    assert (p2["commitments_due"], p2["commitments_on_time"], p2["on_time_pct"]) == (
        "3", "2", "66.7")
    # the eleven provinces without feedback: fewer than k, nothing derived from them
    empty = [r for u, r in rows.items() if u not in (CAJ, "060100", "060700")]
    assert len(empty) == 11
    assert all(r["feedback_status"] == "small" and r["satisfaction_pct"] == "" for r in empty)

    page = client.get(f"/comparar/{CAJ}?lang=es").get_data(as_text=True)
    assert 'href="/provincia/060100?lang=es"' in page and 'href="/region/060000?lang=es"' in page
    assert page.count("<tr") == 1 + 1 + 13  # header, the region's own row, its provinces


def test_the_same_figure_as_the_other_pages_and_nothing_below_k(counted):
    """Only a province with few items: its count is hidden, and the region's total is not
    the sum of what is shown (a second province is hidden so it cannot be subtracted)."""
    import importlib.util
    from pathlib import Path

    from server.portal.store import solve
    from server.submissions.models import Submission

    spec = importlib.util.spec_from_file_location(
        "portal_attacker", Path(__file__).with_name("test_privacy.py"))
    attacker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(attacker)
    with counted.app_context():
        extra = list(db.session.scalars(select(Submission).where(
            Submission.district_ubigeo == D2).order_by(Submission.id)))[:7]
        for item in extra:  # D2 keeps 3 items: below k
            db.session.delete(item)
        db.session.commit()
    client = counted.test_client()
    rows = _csv_rows(client, f"/datos/{CAJ}/comparar.csv")
    assert rows[CAJ]["feedback"] == "15"
    assert rows["060700"]["feedback_status"] == "small"
    shown = sum(int(r["feedback"]) for u, r in rows.items() if u != CAJ and r["feedback"])
    assert shown in (0, 15) or 15 - shown >= 5, shown  # no small remainder
    assert rows["060100"]["feedback_status"] == "protected"
    for path in ("/comparar", f"/comparar/{CAJ}"):
        body = client.get(f"{path}?lang=es").get_data(as_text=True)
        small = [n for n in SHOWN.findall(body) if int(re.sub(r"\D", "", n)) < 5]
        assert not small, (path, small)
    region = client.get(f"/region/{CAJ}?lang=es").get_data(as_text=True)
    assert '<span class="fig">15</span>' in region  # the region page shows the same total
    with counted.test_request_context():
        attacker.assert_nothing_small_leaks(solve(CAJ)[0])


# words the catalogs already have (the page's new strings wait in translations/pending/h10.json)
@pytest.mark.parametrize("lang, words", [
    ("es", ("Opiniones", "Satisfechos", "menos de 5")),
    ("qu", ("Willakuykuna", "Kusisqa", "Kichasqa willaykuna"))])
def test_the_pages_speak_the_chosen_language_and_stay_small(counted, lang, words):
    client = counted.test_client()
    home = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'href="/comparar?lang={lang}"' in home
    region = client.get(f"/region/{CAJ}?lang={lang}").get_data(as_text=True)
    assert f'href="/comparar/{CAJ}?lang={lang}"' in region
    for path in ("/comparar", f"/comparar/{CAJ}"):
        response = client.get(f"{path}?lang={lang}")
        body = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200
        assert f'<html lang="{"qu" if lang == "qu" else "es-PE"}">' in body
        for word in words:
            assert word in body, (path, word)
        assert len(response.data) <= PAGE_LIMIT, (path, len(response.data))


def test_unknown_or_unplanned_regions_are_not_found(counted):
    client = counted.test_client()
    for path in ("/comparar/150000", "/comparar/060100", "/comparar/x",
                 "/datos/150000/comparar.csv"):
        assert client.get(path).status_code == 404, path


def test_the_json_download_has_both_levels_and_the_licence(counted):
    body = counted.test_client().get("/datos/comparar.json").get_json()
    assert body["k"] == 5 and body["licence"]["name"]
    regions = {r["ubigeo"]: r for r in body["regions"]}
    assert regions[CAJ]["feedback"] == 22 and regions[MOQ]["feedback"] is None
    assert regions[MOQ]["feedback_status"] == "small" and regions[MOQ]["per_1000"] is None
    assert len(body["provinces"][CAJ]) == 13
    open_data = counted.test_client().get("/datos?lang=es").get_data(as_text=True)
    assert 'href="/datos/comparar.csv"' in open_data and "commitments_on_time" in open_data
