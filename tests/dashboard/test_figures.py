"""The dashboard's building blocks: Peru calendar days, period units, rating values, the
SVG charts and map (well-formed, escaped, proportional) and the figure cache."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from server.dashboard.cache import FigureCache
from server.dashboard.charts import Bar, bar_chart, column_chart, share_bars
from server.dashboard.maps import MapPoint, district_map
from server.dashboard.ratings import RatingCounts, rating_value
from server.dashboard.timeline import timeline

SVG = "{http://www.w3.org/2000/svg}"


def hour(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def test_hours_fall_on_peru_calendar_days():
    # 04:00 UTC on the 2nd is still 23:00 on the 1st in Lima; 05:00 UTC is midnight there
    unit, periods = timeline({hour("2026-03-02T04:00"): 3, hour("2026-03-02T05:00"): 2})
    assert unit == "day"
    assert [(p.start, p.count) for p in periods] == [(date(2026, 3, 1), 3), (date(2026, 3, 2), 2)]


def test_empty_days_are_filled_and_the_filter_range_is_kept():
    unit, periods = timeline({hour("2026-03-05T15:00"): 1}, date(2026, 3, 1), date(2026, 3, 7))
    assert unit == "day" and len(periods) == 7
    assert [p.count for p in periods] == [0, 0, 0, 0, 1, 0, 0]


def test_long_ranges_use_weeks_then_months():
    data = {hour("2026-01-01T15:00"): 1, hour("2026-06-30T15:00"): 2}
    unit, periods = timeline(data)
    assert unit == "week"
    assert periods[0].start == date(2026, 1, 1) and periods[1].start.weekday() == 0
    assert sum(p.count for p in periods) == 3
    unit, periods = timeline({hour("2024-01-10T15:00"): 1, hour("2026-06-30T15:00"): 2})
    assert unit == "month" and periods[1].start == date(2024, 2, 1)
    assert sum(p.count for p in periods) == 3


def test_an_absurd_filter_range_is_cut_to_the_data():
    unit, periods = timeline({hour("2026-03-05T15:00"): 1}, date(1900, 1, 1), date(2100, 1, 1))
    assert unit == "day" and len(periods) == 1


@pytest.mark.parametrize(("raw", "value"), [
    (4, 4), (4.0, 4), ("5", 5), ("4.0", 4), (1, 1),
    (0, None), (6, None), (3.5, None), ("x", None), (None, None), ("", None)])
def test_rating_values_from_either_database(raw, value):
    assert rating_value(raw) == value


def test_rating_counts():
    counts = RatingCounts()
    for raw, n in ((5, 2), ("4", 1), (1.0, 1), ("bad", 9)):
        counts.add(raw, n)
    assert counts.total == 4
    assert counts.average == pytest.approx((10 + 4 + 1) / 4)
    assert counts.good_share == pytest.approx(0.75)
    assert RatingCounts().average is None


def test_bar_chart_is_well_formed_escaped_and_proportional():
    svg = bar_chart("c", "Title <b>", "Desc & more", [
        Bar("<script>alert(1)</script>", 10, "10"), Bar("Ñuñoa & Ilo", 5, "5"), Bar("zero", 0)])
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-t c-d"
    assert root.find(f"{SVG}title").text == "Title <b>"
    assert "<script>" not in str(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0


def test_column_and_share_charts_are_well_formed():
    root = ET.fromstring(str(column_chart("t", "T", "D", [Bar("a", 1), Bar("b", 3)], "a", "b")))
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(3 * heights[0], abs=0.5)
    root = ET.fromstring(str(share_bars("s", "S", "D", [("x", 0.5, "50%"), ("y", None, "–")])))
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == ["track", "bar bar-0", "track"]


def test_map_circles_grow_with_the_count_and_stay_inside():
    points = [MapPoint("180301", "Ilo", -17.64, -71.34, 100),
              MapPoint("180204", "Ichuña", -16.14, -70.54, 25)]
    root = ET.fromstring(str(district_map("m", "Map", "D", points, [(-17.0, -70.9)])))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    spots = {c.get("data-ubigeo"): c for c in root.iter(f"{SVG}circle")
             if c.get("class") == "spot"}
    r_ilo, r_ichuna = float(spots["180301"].get("r")), float(spots["180204"].get("r"))
    assert r_ilo > r_ichuna
    for c in spots.values():
        x, y, r = float(c.get("cx")), float(c.get("cy")), float(c.get("r"))
        assert r <= x <= width - r and r <= y <= height - r
    # Ilo is south-west of Ichuña: lower on the map and further left
    assert float(spots["180301"].get("cy")) > float(spots["180204"].get("cy"))
    assert float(spots["180301"].get("cx")) < float(spots["180204"].get("cx"))
    assert district_map("m", "Map", "D", []) == ""


def test_the_cache_reuses_fresh_figures_and_refreshes_stale_ones_in_the_background(app):
    calls = []
    done = threading.Event()

    def compute():
        calls.append(datetime.now(UTC))
        done.set()
        return len(calls)

    cache = FigureCache(0.2)
    assert cache.get_or_compute("k", compute, app) == 1
    assert cache.get_or_compute("k", compute, app) == 1  # fresh: reused
    time.sleep(0.25)
    done.clear()
    assert cache.get_or_compute("k", compute, app) == 1  # stale: served, refresh started
    assert done.wait(5)
    for _ in range(50):  # the refreshed value lands
        if cache.get_or_compute("k", compute, app) == 2:
            break
        time.sleep(0.02)
    assert cache.get_or_compute("k", compute, app) == 2
    time.sleep(2.1)  # older than 10 × the limit: computed in the request
    assert cache.get_or_compute("k", compute, app) == 3


def test_caching_can_be_turned_off():
    counter = iter(range(10))
    cache = FigureCache(0)
    assert [cache.get_or_compute("k", lambda: next(counter)) for _ in range(3)] == [0, 1, 2]


def test_slow_first_figures_never_hold_the_request_past_its_budget(app):
    """A first computation slower than the wait budget answers PENDING and keeps going in
    the background; the next request gets its result."""
    from server.dashboard.cache import PENDING

    release = threading.Event()

    def slow():
        release.wait(5)
        return "figures"

    cache = FigureCache(60, wait=0.05)
    started = time.monotonic()
    assert cache.get_or_compute("k", slow, app) is PENDING
    assert time.monotonic() - started < 1
    assert cache.get_or_compute("k", slow, app) is PENDING  # one computation, not two
    release.set()
    for _ in range(100):
        if cache.get_or_compute("k", slow, app) == "figures":
            break
        time.sleep(0.02)
    assert cache.get_or_compute("k", slow, app) == "figures"


def test_a_failed_computation_is_tried_again(app):
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        return "ok"

    cache = FigureCache(60, wait=2)
    from server.dashboard.cache import PENDING

    assert cache.get_or_compute("k", flaky, app) is PENDING
    assert cache.get_or_compute("k", flaky, app) == "ok"


def test_many_filters_at_once_start_at_most_two_computations(app):
    """A user clicking through many filters must not start a scan per click."""
    from server.dashboard.cache import PENDING

    release = threading.Event()
    started = []

    def slow(key):
        def compute():
            started.append(key)
            release.wait(5)
            return key
        return compute

    cache = FigureCache(60, wait=0.05, max_running=2)
    answers = [cache.get_or_compute(k, slow(k), app) for k in ("a", "b", "c", "d")]
    assert answers == [PENDING] * 4
    time.sleep(0.2)
    assert sorted(started) == ["a", "b"]  # the others were not started
    release.set()
    for _ in range(100):
        if cache.get_or_compute("a", slow("a"), app) == "a":
            break
        time.sleep(0.02)
    assert cache.get_or_compute("a", slow("a"), app) == "a"
    assert cache.get_or_compute("c", slow("c"), app) in (PENDING, "c")  # now it may start
