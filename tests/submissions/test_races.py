"""Concurrent batches that share new UUIDs: whatever the order and the overlap, every UUID is
stored once, every other send of it answers `duplicate` (or `conflict`), and no request fails
(issue 10: a deadlock on PostgreSQL, retries running out on SQLite).

The in-process tests widen the window between looking the UUIDs up and storing them (each
check sleeps a little), so the race happens on every run instead of now and then."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from helpers import household_item
from sqlalchemy import func, select

from server.extensions import db
from server.submissions import ingest as ingest_module
from server.submissions.models import Submission, SubmissionConflict


@pytest.fixture
def slow_checks(monkeypatch):
    check = ingest_module._checked

    def slowly(batch, item):
        time.sleep(0.01)
        return check(batch, item)

    monkeypatch.setattr(ingest_module, "_checked", slowly)


def post_together(send, batches: list[list[dict]]) -> list[tuple[int, dict]]:
    """Every batch in its own request, released at the same instant."""
    start = threading.Barrier(len(batches))

    def one(batch):
        start.wait()
        return send(batch)

    with ThreadPoolExecutor(len(batches)) as pool:
        return list(pool.map(one, batches))


def in_process(app, headers):
    def send(batch):
        response = app.test_client().post("/api/v1/submissions",
                                          json={"submissions": batch}, headers=headers)
        return response.status_code, response.get_json()
    return send


def outcomes_by_uuid(answers: list[tuple[int, dict]]) -> dict[str, Counter]:
    assert [status for status, _body in answers] == [200] * len(answers), answers
    seen: dict[str, Counter] = {}
    for _status, body in answers:
        for result in body["results"]:
            seen.setdefault(result["uuid"], Counter())[result["outcome"]] += 1
    return seen


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_same_new_uuids_in_opposite_orders_store_once(app, demo, device_headers,
                                                          slow_checks):
    send = in_process(app, device_headers)
    for _round in range(3):
        items = [household_item() for _ in range(20)]
        seen = outcomes_by_uuid(post_together(send, [items, items[::-1]]))
        assert all(c == Counter(stored=1, duplicate=1) for c in seen.values()), seen
    assert count(app, Submission) == 60


def test_opposite_orders_with_other_content_store_one_and_keep_the_other_aside(
        app, demo, device_headers, slow_checks):
    send = in_process(app, device_headers)
    first = [household_item() for _ in range(20)]
    other = [household_item(uuid=i["uuid"], answers={"household_size": 9}) for i in first]
    seen = outcomes_by_uuid(post_together(send, [first, other[::-1]]))
    assert all(c == Counter(stored=1, conflict=1) for c in seen.values()), seen
    assert count(app, Submission) == 20
    assert count(app, SubmissionConflict) == 20


def test_many_partially_overlapping_batches_at_once_store_each_uuid_once(
        app, demo, device_headers, slow_checks):
    send = in_process(app, device_headers)
    shuffle = random.Random(10)
    pool = [household_item() for _ in range(45)]
    # 6 windows of 15 over the pool, each overlapping its neighbours, each in its own order
    batches = [shuffle.sample(pool[i * 6:i * 6 + 15], 15) for i in range(6)]
    seen = outcomes_by_uuid(post_together(send, batches))
    assert len(seen) == 45
    assert all(c["stored"] == 1 and set(c) <= {"stored", "duplicate"} for c in seen.values())
    assert count(app, Submission) == 45


def test_under_gunicorn_opposite_orders_never_fail(app, live_server):
    code = re.search(r"code (\S+)", live_server.willay("devices", "enrol", "race")).group(1)
    token = requests.post(f"{live_server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=10).json()["token"]

    def send(batch):
        response = requests.post(f"{live_server.url}/api/v1/submissions",
                                 json={"submissions": batch},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=120)
        return response.status_code, response.json()

    for _round in range(5):
        items = [household_item() for _ in range(30)]
        seen = outcomes_by_uuid(post_together(send, [items, items[::-1]]))
        assert all(c == Counter(stored=1, duplicate=1) for c in seen.values()), seen
    assert count(app, Submission) == 150
