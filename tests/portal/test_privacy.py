"""The suppression rule (docs/portal.md): hidden figures cannot be worked out again by
subtracting published ones, across every page, chart and download of a department."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from server.portal.privacy import PROTECTED, SMALL, UNSHOWN, Publication
from server.portal.publication import CountRow, build

PROVINCES = {"P1": ["d1", "d2"], "P2": ["d3"]}
PROJECTS = {"A": ["d1", "d2"], "B": ["d2", "d3"]}
THEMES = ("water", "roads")


def attack(pub: Publication) -> dict:
    """What someone reading every published figure can bound, by subtracting them from each
    other again and again (interval propagation over all the equations)."""
    k = pub.k
    bounds = {}
    for key, value in pub.values.items():
        reason = pub.hidden.get(key)
        if reason is None:
            bounds[key] = (value, value)
        elif reason == SMALL:
            bounds[key] = (0, k - 1)
        else:  # "hidden" claims no bound
            assert reason in (PROTECTED, UNSHOWN)
            bounds[key] = (0, math.inf)
    for _round in range(1000):
        changed = False
        for total, parts in pub.equations:
            # each member from the others, summed afresh (never inf - inf)
            lo_t, hi_t = bounds[total]
            new_t = (max(lo_t, sum(bounds[p][0] for p in parts)),
                     min(hi_t, sum(bounds[p][1] for p in parts)))
            if new_t != bounds[total]:
                bounds[total], changed = new_t, True
            lo_t, hi_t = bounds[total]
            for i, part in enumerate(parts):
                others = parts[:i] + parts[i + 1:]
                lo_p, hi_p = bounds[part]
                new = (max(lo_p, lo_t - sum(bounds[p][1] for p in others)),
                       min(hi_p, hi_t - sum(bounds[p][0] for p in others)))
                if new != bounds[part]:
                    bounds[part], changed = new, True
        if not changed:
            break
    else:
        raise AssertionError("the attacker did not settle")
    return bounds


def assert_nothing_small_leaks(pub: Publication) -> None:
    bounds = attack(pub)
    for key, value in pub.values.items():
        lo, hi = bounds[key]
        assert lo <= value <= hi, (key, value, bounds[key])  # the attacker reasons soundly
        if key in pub.hidden and 1 <= value < pub.k:
            assert lo < hi, f"{key} = {value} can be worked out"
    for total, parts in pub.equations:
        if total in pub.hidden:
            continue
        held = [p for p in parts if p in pub.hidden]
        remainder = sum(pub.values[p] for p in held)
        assert remainder == 0 or remainder >= pub.k, (total, held, remainder)


rows = st.lists(st.builds(
    CountRow,
    district=st.sampled_from(["d1", "d2", "d3"]),
    project=st.sampled_from(["A", "B", None]),
    theme=st.sampled_from([*THEMES, None]),
    rating=st.sampled_from([1, 2, 3, 4, 5, None]),
    month=st.sampled_from(["2026-10", "2026-11"]),
    answered=st.booleans(),
    n=st.integers(1, 7),
), max_size=30)


@given(rows=rows, k=st.sampled_from([2, 3, 5]))
def test_no_hidden_figure_can_be_subtracted_back(rows, k):
    pub = build("D", PROVINCES, rows, PROJECTS, THEMES, k)
    assert_nothing_small_leaks(pub)
    for key, value in pub.values.items():
        figure = pub.figure(key)
        assert figure.value in (None, value)
        if figure.value is not None:
            assert value >= k


@given(parts=st.lists(st.integers(0, 12), min_size=1, max_size=6), k=st.integers(2, 6))
def test_one_total_and_its_parts(parts, k):
    pub = Publication(k)
    keys = [("part", i) for i in range(len(parts))]
    for key, value in zip(keys, parts, strict=True):
        pub.set(key, value)
    pub.set("total", sum(parts))
    pub.equation("total", keys)
    pub.solve()
    assert_nothing_small_leaks(pub)


def test_a_district_below_k_hides_its_neighbour_too():
    pub = Publication(5)
    pub.set("province", 12)
    pub.set("a", 8)
    pub.set("b", 4)
    pub.equation("province", ["a", "b"])
    assert pub.figure("province").value == 12
    assert pub.figure("b").hidden == SMALL
    assert pub.figure("a").hidden == PROTECTED  # 12 - 8 would give b's 4 back


def test_two_small_parts_that_fill_their_bounds_lose_the_bound():
    pub = Publication(5)
    pub.set("project", 8)
    for month in ("oct", "nov"):
        pub.set(month, 4)
    pub.equation("project", ["oct", "nov"])
    assert pub.figure("project").value == 8
    assert {pub.figure(m).hidden for m in ("oct", "nov")} == {PROTECTED}  # 4 + 4 = 8


@st.composite
def departments(draw):
    """Random shapes: 1-3 provinces of 1-4 districts, 1-4 projects over any districts."""
    provinces, districts = {}, []
    for p in range(draw(st.integers(1, 3))):
        its = [f"p{p}d{d}" for d in range(draw(st.integers(1, 4)))]
        provinces[f"p{p}"] = its
        districts.extend(its)
    projects = {f"j{j}": draw(st.lists(st.sampled_from(districts), min_size=1, max_size=4,
                                       unique=True))
                for j in range(draw(st.integers(1, 4)))}
    found = draw(st.lists(st.builds(
        CountRow, district=st.sampled_from(districts),
        project=st.sampled_from([*projects, None]), theme=st.sampled_from([*THEMES, None]),
        rating=st.sampled_from([1, 2, 3, 4, 5, None]),
        month=st.sampled_from(["2026-09", "2026-10", "2026-11"]), answered=st.booleans(),
        n=st.integers(1, 9)), max_size=40))
    return provinces, projects, found


@settings(max_examples=150, deadline=None)
@given(department=departments(), k=st.sampled_from([2, 3, 5]))
def test_random_shapes_province_sums_and_answered_items_leak_nothing(department, k):
    """Province and department sums (items, rated, satisfied, answered) over random shapes:
    the solver's publication resists the attacker, and the solver reached that in few
    rounds of full propagation."""
    provinces, projects, found = department
    pub = build("D", provinces, found, projects, THEMES, k)
    assert_nothing_small_leaks(pub)
    assert pub.rounds <= 3
