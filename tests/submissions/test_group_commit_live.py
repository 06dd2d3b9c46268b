"""Group commit under a real gunicorn (2 workers x 4 threads) with the product's default
synchronous=FULL: many single-item requests at once, sharing syncs of the log, are each
stored exactly once with their own receipt; a bad one among them gets its own error; the
same UUID sent at once is stored once, as without group commit. On PostgreSQL the same
checks hold (it has no group commit of ours: its WAL flushes are shared by itself)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from helpers import household_item
from sqlalchemy import func, select

from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict


@pytest.fixture
def full_server(database_url, tmp_path, app):
    from live import LiveServer

    from server.demo.loader import load_demo

    server = LiveServer(database_url, tmp_path / "live")
    server.env["WILLAY_SQLITE_SYNCHRONOUS"] = "FULL"  # the product's default, not the tests'
    with app.app_context():
        load_demo()
        db.session.remove()
    server.start()
    yield server
    server.stop()


def pair(app, server) -> dict:
    from server.devices.services import enrol_device

    with app.app_context():
        code = enrol_device("Rush phone", "Rosa").code
        db.session.remove()
    token = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def post_at_once(server, headers, items: list[dict], language: str = "es-PE") -> list[dict]:
    """Each item in its own request, all released at the same instant."""
    start = threading.Barrier(len(items))

    def send(item):
        start.wait()
        response = requests.post(f"{server.url}/api/v1/submissions",
                                 json={"submissions": [item]}, timeout=60,
                                 headers={**headers, "Accept-Language": language})
        assert response.status_code == 200, response.text
        [result] = response.json()["results"]
        return result

    with ThreadPoolExecutor(len(items)) as pool:
        return list(pool.map(send, items))


def stored_receipts(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(Submission.uuid, Submission.receipt_code)).all()
        db.session.remove()
    return {str(u): r for u, r in rows}


def test_many_single_item_requests_at_once_are_each_stored_once_with_their_receipt(
        app, full_server):
    headers = pair(app, full_server)
    items = [household_item() for _ in range(48)]
    results = post_at_once(full_server, headers, items)
    assert [r["outcome"] for r in results] == ["stored"] * len(items)
    assert [r["uuid"] for r in results] == [i["uuid"] for i in items]
    receipts = stored_receipts(app)
    assert len(receipts) == len(items)  # each once, nothing else
    # each phone was told the receipt its own submission has
    assert {r["uuid"]: r["receipt"] for r in results} == receipts
    assert len(set(receipts.values())) == len(items)
    # and the receipt works for the resident
    one = results[7]
    page = requests.get(f"{full_server.url}/api/v1/receipts/{one['receipt']}", timeout=10)
    assert page.status_code == 200 and page.json()["receipt"] == one["receipt"]


def test_a_bad_item_among_them_gets_its_own_error_and_the_others_are_stored(app, full_server):
    headers = pair(app, full_server)
    good = [household_item() for _ in range(15)]
    bad = household_item(answers={"rainy_road": "flying"})
    off_district = household_item()
    off_district["answers"]["district"] = "999999"
    items = good[:8] + [bad] + good[8:] + [off_district]
    results = {r["uuid"]: r for r in post_at_once(full_server, headers, items)}
    assert results[bad["uuid"]]["outcome"] == "rejected"
    assert set(results[bad["uuid"]]["errors"]) == {"rainy_road"}
    assert results[off_district["uuid"]]["outcome"] == "rejected"
    assert results[off_district["uuid"]]["receipt"] is None
    assert all(results[i["uuid"]]["outcome"] == "stored" for i in good)
    receipts = stored_receipts(app)
    assert set(receipts) == {i["uuid"] for i in good}
    assert all(results[u]["receipt"] == receipts[u] for u in receipts)


def test_replays_and_conflicts_in_the_same_rush_are_judged_as_alone(app, full_server):
    headers = pair(app, full_server)
    replayed = household_item()
    first = household_item()
    variants = [household_item(uuid=first["uuid"], answers={"household_size": n})
                for n in range(1, 5)]
    others = [household_item() for _ in range(10)]
    items = [replayed] * 6 + variants + others
    results = post_at_once(full_server, headers, items)
    by_uuid: dict[str, list[dict]] = {}
    for result in results:
        by_uuid.setdefault(result["uuid"], []).append(result)

    sends = by_uuid[replayed["uuid"]]
    assert sorted(r["outcome"] for r in sends) == ["duplicate"] * 5 + ["stored"]
    assert len({r["receipt"] for r in sends}) == 1  # every replay gets the stored receipt
    contested = by_uuid[first["uuid"]]
    assert sorted(r["outcome"] for r in contested) == ["conflict"] * 3 + ["stored"]
    assert all(by_uuid[i["uuid"]][0]["outcome"] == "stored" for i in others)

    receipts = stored_receipts(app)
    assert len(receipts) == 2 + len(others)
    assert receipts[replayed["uuid"]] == sends[0]["receipt"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SubmissionConflict)) == 3
        kept = db.session.scalar(select(Submission.answers).where(
            Submission.uuid == uuid.UUID(first["uuid"])))
        db.session.remove()
    stored_variant = next(v for v, r in zip(variants, results[6:10], strict=True)
                          if r["outcome"] == "stored")
    assert kept["household_size"] == stored_variant["answers"]["household_size"]


def test_status_after_the_rush_reports_what_is_held(app, full_server):
    headers = pair(app, full_server)
    items = [household_item() for _ in range(12)]
    results = post_at_once(full_server, headers, items)
    absent = str(uuid.uuid4())
    response = requests.post(f"{full_server.url}/api/v1/submissions/status", headers=headers,
                             json={"uuids": [i["uuid"] for i in items] + [absent]}, timeout=10)
    held = {s["uuid"]: s for s in response.json()["submissions"]}
    assert all(held[r["uuid"]]["held"] and held[r["uuid"]]["receipt"] == r["receipt"]
               for r in results)
    assert held[absent]["held"] is False
