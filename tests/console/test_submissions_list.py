"""The submissions list: every filter, keyset pages, area limits, bad filter values.

All data arrives through the real sync API (promoter devices and the public link)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from helpers import feedback_item, household_item
from sqlalchemy import select, update

from server.devices.services import enrol_device
from server.extensions import db
from server.submissions.models import Submission

ROW_LINK = re.compile(r'href="/console/submissions/(\d+)"')
NEXT = re.compile(r'rel="next" href="([^"]+)"')
PREV = re.compile(r'rel="prev" href="([^"]+)"')


def send(client, headers, *items) -> list[dict]:
    response = client.post("/api/v1/submissions", json={"submissions": list(items)},
                           headers=headers)
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert all(r["outcome"] == "stored" for r in results), results
    return results


def uuids_by_id(app) -> dict[int, str]:
    with app.app_context():
        return {i: str(u) for i, u in db.session.execute(select(Submission.id, Submission.uuid))}


def listed(app, console, url: str) -> list[str]:
    """The UUIDs of the rows on one list page, in the order shown."""
    response = console.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    ids = uuids_by_id(app)
    return [ids[int(i)] for i in ROW_LINK.findall(response.get_data(as_text=True))]


def pair(client, label: str, promoter: str) -> dict:
    code = enrol_device(label, promoter).code
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def sample(app, client, demo, device_headers, link_headers):
    """A small, varied data set; returns name -> uuid."""
    with app.app_context():
        other_device = pair(client, "Second phone", "Quispe")
    water = household_item(answers={"district": "180101", "community": "Anexo Yacango"})
    road = household_item(answers={"district": "180201", "community": "Omate alto",
                                   "knows_projects": "yes", "project": "MOQ-VIA-003",
                                   "project_rating": 2},
                          meta={**household_item()["meta"], "language": "es"})
    other = household_item(answers={"district": "180102", "community": "Carumas"})
    resident = feedback_item(answers={"theme": "water", "district": "180301", "rating": 2,
                                      "comment": "El reservorio está roto", "consent": "no"},
                             meta={"language": "es"})
    send(client, device_headers, water, road)
    send(client, other_device, other)
    send(client, link_headers, resident)
    return {"water": water["uuid"], "road": road["uuid"], "other": other["uuid"],
            "resident": resident["uuid"]}


def test_each_filter_narrows_the_list(app, console_as, sample):
    coordinator = console_as("coordinator")
    everything = set(listed(app, coordinator, "/console/submissions"))
    assert everything == set(sample.values())

    def only(query: str) -> set[str]:
        return set(listed(app, coordinator, "/console/submissions?" + query))

    s = sample
    assert only("survey=moq-feedback") == {s["resident"]}
    assert only("survey=moq-household") == {s["water"], s["road"], s["other"]}
    assert only("version=1") == everything and only("version=2") == set()
    assert only("place=180000") == everything  # the department
    assert only("place=180100") == {s["water"], s["other"]}  # a province
    assert only("place=180201") == {s["road"]}  # a district
    assert only("project=MOQ-VIA-003") == {s["road"]}
    assert only("theme=water") == {s["resident"]}
    assert only("theme=services") == {s["road"]}  # through the project's theme
    assert only("language=es") == {s["road"], s["resident"]}
    assert only("channel=public") == {s["resident"]}
    assert only("channel=device") == {s["water"], s["road"], s["other"]}
    assert only("q=reservorio") == {s["resident"]}
    assert only("q=OMATE") == {s["road"]}  # case and accents do not matter
    assert only("status=new") == everything and only("status=spam") == set()
    with app.app_context():
        quispe = db.session.scalar(select(Submission.device_id).where(
            Submission.uuid == uuid.UUID(s["other"])))
    assert only(f"device={quispe}") == {s["other"]}
    assert only("channel=device&place=180100&language=qu") == {s["water"], s["other"]}


def test_date_filters_use_peru_days(app, console_as, sample):
    with app.app_context():
        db.session.execute(update(Submission).where(
            Submission.uuid == uuid.UUID(sample["water"])).values(
            received_at=datetime(2026, 1, 10, 4, 30, tzinfo=UTC)))  # 9 Jan, 23:30 in Lima
        db.session.commit()
    coordinator = console_as("coordinator")
    assert listed(app, coordinator, "/console/submissions?from=2026-01-09&to=2026-01-09") == [
        sample["water"]]
    assert listed(app, coordinator, "/console/submissions?from=2026-01-10&to=2026-01-10") == []
    today = (datetime.now(UTC) - timedelta(hours=5)).date().isoformat()
    assert sample["water"] not in listed(app, coordinator, f"/console/submissions?from={today}")


def test_the_list_shows_what_a_coordinator_needs(app, console_as, sample):
    page = console_as("coordinator").get("/console/submissions?lang=es").get_data(as_text=True)
    assert "<td>Omate</td>" in page and "<td>Ilo</td>" in page  # district names
    assert '<td class="excerpt">El reservorio está roto</td>' in page  # the free text
    assert "<td>Promotor: Quispe</td>" in page and "<td>Poblador (enlace público)</td>" in page
    assert page.count('<span class="badge status-new">Recibido</span>') == 4


def test_bad_filter_values_get_a_translated_message_not_an_error(app, console_as, sample):
    coordinator = console_as("coordinator")
    for query in ("from=yesterday", "version=abc", "status=lost", "place=18", "device=-4",
                  "after=not-a-cursor", "before=1-2-3", "language=fr", "q=" + "x" * 500):
        response = coordinator.get("/console/submissions?lang=es&" + query)
        assert response.status_code == 400, query
        page = response.get_data(as_text=True)
        assert 'role="alert"' in page, query
        assert not ROW_LINK.search(page)  # nothing listed under a filter we could not read
    page = coordinator.get("/console/submissions?lang=qu&from=ayer").get_data(as_text=True)
    assert "kay chaniqa manam allinchu" in page
    page = coordinator.get("/console/submissions?lang=es&from=ayer").get_data(as_text=True)
    assert "Desde: este valor no es válido." in page


def test_pages_lose_and_repeat_nothing_with_equal_timestamps(app, client, console_as, demo,
                                                             device_headers):
    made = []
    for _batch in range(3):  # each batch shares one received_at
        items = [household_item() for _ in range(45)]
        send(client, device_headers, *items)
        made += [i["uuid"] for i in items]
    coordinator = console_as("coordinator")
    seen, url, pages = [], "/console/submissions", []
    while url:
        page = coordinator.get(url).get_data(as_text=True)
        ids = uuids_by_id(app)
        rows = [ids[int(i)] for i in ROW_LINK.findall(page)]
        pages.append((url, rows))
        seen += rows
        found = NEXT.search(page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == len(set(seen)) == 135 and set(seen) == set(made)
    assert [len(r) for _u, r in pages] == [50, 50, 35]
    # newest first: the last batch leads
    assert set(pages[0][1][:45]) == set(made[90:])
    # walking back with "previous" gives the same pages
    last = coordinator.get(pages[-1][0]).get_data(as_text=True)
    back = PREV.search(last).group(1).replace("&amp;", "&")
    ids = uuids_by_id(app)
    assert [ids[int(i)] for i in ROW_LINK.findall(coordinator.get(back).get_data(
        as_text=True))] == pages[1][1]
    assert "Envíos encontrados: 135" in coordinator.get("/console/submissions?lang=es").get_data(
        as_text=True)


def test_a_submission_arriving_between_pages_shifts_nothing(app, client, console_as, demo,
                                                            device_headers):
    first = [household_item() for _ in range(60)]
    send(client, device_headers, *first)
    coordinator = console_as("coordinator")
    page = coordinator.get("/console/submissions").get_data(as_text=True)
    next_url = NEXT.search(page).group(1).replace("&amp;", "&")
    send(client, device_headers, household_item())  # arrives while the user reads page 1
    ids = uuids_by_id(app)
    page_one = [ids[int(i)] for i in ROW_LINK.findall(page)]
    page_two = [ids[int(i)] for i in ROW_LINK.findall(coordinator.get(next_url).get_data(
        as_text=True))]
    assert len(page_two) == 10 and not set(page_one) & set(page_two)
    assert set(page_one + page_two) == {i["uuid"] for i in first}


def test_filters_travel_with_the_page_links(app, client, console_as, demo, device_headers,
                                            link_headers):
    send(client, device_headers, *[household_item() for _ in range(55)])
    send(client, link_headers, feedback_item())
    coordinator = console_as("coordinator")
    page = coordinator.get("/console/submissions?channel=device").get_data(as_text=True)
    next_url = NEXT.search(page).group(1).replace("&amp;", "&")
    assert "channel=device" in next_url
    assert len(listed(app, coordinator, next_url)) == 5


def test_a_limited_coordinator_sees_only_their_province(app, console_as, sample):
    limited = console_as("limited")  # province 180200 only
    assert listed(app, limited, "/console/submissions") == [sample["road"]]
    # a filter for somewhere else cannot widen the limit
    assert listed(app, limited, "/console/submissions?place=180100") == []
    assert listed(app, limited, "/console/submissions?place=180000") == [sample["road"]]
    page = limited.get("/console/submissions").get_data(as_text=True)
    assert "Mariscal Nieto" not in page  # provinces outside the limit are not offered


@pytest.mark.parametrize("role, status", [(None, 302), ("viewer", 403), ("coordinator", 200),
                                          ("admin", 200)])
def test_who_may_open_the_list(console_as, role, status):
    assert console_as(role).get("/console/submissions").status_code == status


def test_the_count_is_capped(app, console_as, demo, client, device_headers, monkeypatch):
    from server.review import listing

    send(client, device_headers, *[household_item() for _ in range(12)])
    monkeypatch.setattr(listing, "PAGE_SIZE", 5)
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    coordinator = console_as("coordinator")
    page = coordinator.get("/console/submissions?lang=es").get_data(as_text=True)
    assert "Más de 10 envíos encontrados." in page
    assert len(ROW_LINK.findall(page)) == 5
    monkeypatch.setattr(listing, "COUNT_CAP", 20)
    page = coordinator.get("/console/submissions?lang=es").get_data(as_text=True)
    assert "Envíos encontrados: 12" in page
    narrow = coordinator.get("/console/submissions?lang=es&q=nothing-like-this").get_data(
        as_text=True)
    assert "Envíos encontrados: 0" in narrow and "Ningún envío coincide" in narrow


def test_the_list_shows_interview_names_when_the_survey_gives_them(app, console_as):
    from exports.roster import publish_roster, store_households

    with app.app_context():
        store_households(publish_roster())
    page = console_as("coordinator").get("/console/submissions?survey=roster").get_data(
        as_text=True)
    # the name is a link to the interview, like its time
    for name in ("Quispe — Carumas", "Mamani — Cuchumbaya"):
        assert re.search(r'<td class="instance"><a href="/console/submissions/\d+">'
                         + re.escape(name) + "</a></td>", page), name
    assert '<td class="instance"></td>' in page  # the third interview has no name
