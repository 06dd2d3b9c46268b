"""Hostile or mistyped query values get a clear 4xx, never a 500 (year 9999, ids and page
cursors beyond what the database or date arithmetic can hold)."""

from __future__ import annotations

import pytest

HUGE = "9" * 23

GETS = [
    "/console/?to=9999-12-31", "/console/?from=0001-01-01",
    "/console/submissions?to=9999-12-31", "/console/audit?until=9999-12-31",
    "/console/submissions?after=9999999999999999999-1",
    "/console/submissions?before=1-99999999999999999999",
    "/console/?device=9223372036854775808", "/console/submissions?device=9223372036854775808",
    f"/console/submissions/{HUGE}", f"/console/conflicts/{HUGE}", f"/console/users/{HUGE}",
    "/console/media/" + "a" * 64 + f"?conflict={HUGE}", f"/console/audit?before={HUGE}",
]


@pytest.mark.parametrize("url", GETS)
def test_absurd_query_values_are_refused_cleanly(console_as, url):
    assert 400 <= console_as("admin").get(url).status_code < 500


def test_an_export_with_an_absurd_date_is_refused_before_any_byte(console_as):
    response = console_as("coordinator").post("/console/exports",
                                              {"to": "9999-12-31", "format": "csv"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
