"""Under a real multi-worker gunicorn, one UUID sent many times at once is stored once."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import requests
from helpers import household_item
from sqlalchemy import func, select

from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict


def pair(server) -> dict:
    code = re.search(r"code (\S+)", server.willay("devices", "enrol", "race")).group(1)
    token = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def send_all(server, headers, items) -> list[str]:
    def send(item):
        response = requests.post(f"{server.url}/api/v1/submissions",
                                 json={"submissions": [item]}, headers=headers, timeout=60)
        response.raise_for_status()
        return response.json()["results"][0]["outcome"]

    with ThreadPoolExecutor(len(items)) as pool:
        return list(pool.map(send, items))


def test_simultaneous_replays_store_one_submission(app, live_server):
    headers = pair(live_server)
    item = household_item()
    outcomes = send_all(live_server, headers, [item] * 8)
    assert sorted(outcomes) == ["duplicate"] * 7 + ["stored"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_simultaneous_conflicting_sends_keep_the_first_and_record_the_rest(app, live_server):
    headers = pair(live_server)
    first = household_item()
    variants = [household_item(uuid=first["uuid"], answers={"household_size": n})
                for n in range(1, 7)]
    outcomes = send_all(live_server, headers, variants)
    assert outcomes.count("stored") == 1 and outcomes.count("conflict") == 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
        assert db.session.scalar(select(func.count()).select_from(SubmissionConflict)) == 5


def test_one_pairing_code_pairs_one_phone_even_when_two_race(live_server):
    code = re.search(r"code (\S+)", live_server.willay("devices", "enrol", "twin")).group(1)

    def pair_once(_):
        return requests.post(f"{live_server.url}/api/v1/devices/pair", json={"code": code},
                             timeout=30).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(pair_once, range(6)))
    assert sorted(codes) == [201] + [409] * 5
