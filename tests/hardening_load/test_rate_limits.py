"""With more than one gunicorn worker, a rate limit counts once for the whole server, not once
per worker (issue 10: pairing let 37 of 60 through a limit of 20 per minute)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests


def test_pairing_attempts_are_counted_across_workers(served):
    server = served(RATELIMIT_PAIRING="6 per minute")

    def attempt(_):
        # a new connection each time: the workers take turns accepting them
        response = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": "NOPE"},
                                 headers={"Connection": "close"}, timeout=20)
        return response.status_code, response.headers.get("Retry-After")

    with ThreadPoolExecutor(12) as pool:  # enough at once to keep both workers accepting
        answers = list(pool.map(attempt, range(60)))
    statuses = [status for status, _retry in answers]
    assert statuses.count(404) == 6, statuses  # an unknown code: counted, then refused
    assert statuses.count(429) == 54, statuses
    assert all(int(retry) > 0 for status, retry in answers if status == 429)


def test_one_storage_the_workers_share_is_the_default(app):
    from server.extensions import limiter

    assert type(limiter.storage).__name__ == "SQLiteStorage"
    assert limiter.storage.path.endswith("ratelimits.sqlite3")
