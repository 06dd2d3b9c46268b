"""The set of figures the portal publishes for one department, and the equations tying them,
built from grouped counts (no database here: server/portal/counts.py reads them).

Keys (scope is ("geo", ubigeo), ("proj", code) or ("pd", code, district)):
- ("geo", ubigeo): feedback items in a department, province or district;
- ("proj", code), ("pd", code, district): about a project, in all or in one district;
- ("rate", scope, 1..5), ("rated", scope), ("sat", scope): ratings, rated items, ratings of 4-5;
- ("month", ("proj", code), "YYYY-MM"): a project's items by month received;
- ("theme", ("geo", ubigeo), theme): a department's or district's items by theme;
- ("answered", scope): items whose resident was answered (projects, the department and its
  provinces; a district's or a project-in-district's answered items are equation parts only);
  a province also has ("rated", ...) and ("sat", ...) for the comparison page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .privacy import Publication

SCALE = (1, 2, 3, 4, 5)
GOOD = 4


@dataclass(frozen=True)
class CountRow:
    """Submissions sharing every attribute the portal groups by."""

    district: str
    project: str | None
    theme: str | None
    rating: int | None
    month: str
    answered: bool
    n: int


def build(department: str, provinces: dict[str, list[str]], rows: Iterable[CountRow],
          project_districts: dict[str, list[str]], themes: Iterable[str], k: int) -> Publication:
    """`provinces` maps each province ubigeo of the department to its district ubigeos;
    `project_districts` lists the department's projects and the districts each serves."""
    pub = Publication(k)
    province_of = {d: p for p, ds in provinces.items() for d in ds}
    districts = list(province_of)
    theme_codes = sorted(set(themes))
    cells = {p: set(ds) & set(districts) for p, ds in project_districts.items()}
    months: dict[str, set[str]] = defaultdict(set)
    for key in [("geo", department), *(("geo", p) for p in provinces),
                *(("geo", d) for d in districts), *(("proj", p) for p in cells)]:
        pub.set(key, 0)

    _count(pub, department, province_of, cells,
           _by_month(rows, province_of, cells, set(theme_codes), pub, months))

    # geography: a department is its provinces, a province its districts
    pub.equation(("geo", department), [("geo", p) for p in provinces])
    for province, its in provinces.items():
        pub.equation(("geo", province), [("geo", d) for d in its])
    _province_equations(pub, department, provinces)
    _answered_equations(pub, department, provinces, cells)
    for district in districts:
        scope = ("geo", district)
        about = [p for p in sorted(cells) if district in cells[p]]
        for part in (None, "rated", "sat"):
            whole = scope if part is None else (part, scope)
            pieces = [("pd", p, district) if part is None else (part, ("pd", p, district))
                      for p in about]
            rest = ("dnone", district) if part is None else (part, ("dnone", district))
            pub.add(rest, 0, shown=False)
            pub.equation(whole, [*pieces, rest])
        _rating_equations(pub, scope, detailed=True)
        _theme_equation(pub, scope, theme_codes)
    _rating_equations(pub, ("geo", department), detailed=True)
    _theme_equation(pub, ("geo", department), theme_codes)
    for theme in [*theme_codes, None]:
        pub.equation(("theme", ("geo", department), theme),
                     [("theme", ("geo", d), theme) for d in districts])

    for project in sorted(cells):
        scope = ("proj", project)
        its = sorted(cells[project])
        for part in (None, "rated", "sat"):
            whole = scope if part is None else (part, scope)
            pub.equation(whole, [("pd", project, d) if part is None
                                 else (part, ("pd", project, d)) for d in its])
        for district in its:
            _rating_equations(pub, ("pd", project, district), detailed=False)
        _rating_equations(pub, scope, detailed=True)
        pub.equation(scope, [("month", scope, m) for m in sorted(months[project])])
    pub.solve()
    return pub


def _count(pub: Publication, department: str, province_of: dict[str, str], cells: dict,
           rows: list[CountRow]) -> None:
    """Add each row to every figure it counts in (summed in a local table first: about 20
    figures a row, the hottest loop of a solve)."""
    add: dict[tuple, int] = defaultdict(int)
    unshown: set[tuple] = set()
    for r in rows:
        n, district, project, theme = r.n, r.district, r.project, r.theme
        answered = n if r.answered else 0
        for ubigeo in (department, province_of[district], district):
            add[("geo", ubigeo)] += n
            add[("answered", ("geo", ubigeo))] += answered
        unshown.add(("answered", ("geo", district)))
        for ubigeo in (department, district):
            add[("theme", ("geo", ubigeo), theme)] += n
            if theme is None:
                unshown.add(("theme", ("geo", ubigeo), theme))
        detailed = [("geo", department), ("geo", district)]
        plain = [("geo", province_of[district])]
        if project is None:
            rest = ("dnone", district)
            add[rest] += n
            add[("answered", rest)] += answered
            unshown.update([rest, ("answered", rest)])
        else:
            cells[project].add(district)
            add[("proj", project)] += n
            add[("pd", project, district)] += n
            add[("answered", ("proj", project))] += answered
            add[("answered", ("pd", project, district))] += answered
            unshown.add(("answered", ("pd", project, district)))
            detailed.append(("proj", project))
            plain.append(("pd", project, district))
        if r.rating not in SCALE:
            continue
        satisfied = n if r.rating >= GOOD else 0
        for scope in detailed:
            add[("rate", scope, r.rating)] += n
        if project is None:
            plain.append(("dnone", district))
            unshown.update([("rated", ("dnone", district)), ("sat", ("dnone", district))])
        for scope in (*detailed, *plain):
            add[("rated", scope)] += n
            add[("sat", scope)] += satisfied
    for key, value in add.items():
        pub.values[key] = pub.values.get(key, 0) + value
    pub.unshown.update(unshown)


def _by_month(rows: Iterable[CountRow], province_of: dict[str, str], cells: dict,
              theme_codes: set, pub: Publication, months: dict[str, set[str]]
              ) -> list[CountRow]:
    """Count each project's items by month, and return the rows with the month left out
    (summed over months: every other figure ignores it, and a year of months is up to 12
    times fewer rows to add up). Rows of other departments are left out; unknown projects
    and themes read as none."""
    summed: dict[tuple, int] = defaultdict(int)
    for r in rows:
        if r.district not in province_of:
            continue
        project = r.project if r.project in cells else None
        if project is not None:
            months[project].add(r.month)
            pub.add(("month", ("proj", project), r.month), r.n)
        summed[(r.district, project, r.theme if r.theme in theme_codes else None, r.rating,
                r.answered)] += r.n
    return [CountRow(district, project, theme, rating, "", answered, n)
            for (district, project, theme, rating, answered), n in summed.items()]


def _province_equations(pub: Publication, department: str,
                        provinces: dict[str, list[str]]) -> None:
    """A province's rated and satisfied items are its districts'; the department's are its
    provinces' (the comparison page shows provinces side by side). No "unrated" or "not
    satisfied" figure of its own: a province's are sums of its districts' (already parts of
    their equations), and naming them made the solver run ~50 more rounds (docs/portal.md)."""
    for part in ("rated", "sat"):
        pub.equation((part, ("geo", department)), [(part, ("geo", p)) for p in provinces])
        for province, its in provinces.items():
            pub.set((part, ("geo", province)), pub.value((part, ("geo", province))))
            pub.equation((part, ("geo", province)), [(part, ("geo", d)) for d in its])


def _answered_equations(pub: Publication, department: str, provinces: dict[str, list[str]],
                        cells: dict[str, set[str]]) -> None:
    """Answered items add up like the items themselves: department = provinces, province =
    districts, district = its projects' cells + items about no project, project = its cells;
    and every scope = answered + not answered."""
    def answered(scope: tuple) -> tuple:
        return ("answered", scope)

    pub.equation(answered(("geo", department)), [answered(("geo", p)) for p in provinces])
    scopes = [("geo", department)]
    for province, its in provinces.items():
        pub.equation(answered(("geo", province)), [answered(("geo", d)) for d in its])
        scopes.append(("geo", province))
        for district in its:
            about = [p for p in sorted(cells) if district in cells[p]]
            pub.add(answered(("dnone", district)), 0, shown=False)
            pub.add(answered(("geo", district)), 0, shown=False)
            pub.equation(answered(("geo", district)),
                         [*(answered(("pd", p, district)) for p in about),
                          answered(("dnone", district))])
            scopes.extend([("geo", district), ("dnone", district),
                           *(("pd", p, district) for p in about)])
    for project in sorted(cells):
        its = sorted(cells[project])
        for district in its:
            pub.add(answered(("pd", project, district)), 0, shown=False)
        pub.equation(answered(("proj", project)),
                     [answered(("pd", project, d)) for d in its])
        scopes.append(("proj", project))
    for scope in scopes:
        value = pub.value(answered(scope))
        pub.set(answered(scope), value, shown=answered(scope) not in pub.unshown)
        pub.set(("unanswered", scope), pub.value(scope) - value, shown=False)
        pub.equation(scope, [answered(scope), ("unanswered", scope)])


def _rating(pub: Publication, scope: tuple, r: CountRow, *, detailed: bool,
            shown: bool = True) -> None:
    if r.rating not in SCALE:
        return
    if detailed:
        pub.add(("rate", scope, r.rating), r.n)
    pub.add(("rated", scope), r.n, shown=shown)
    pub.add(("sat", scope), r.n if r.rating >= GOOD else 0, shown=shown)


def _rating_equations(pub: Publication, scope: tuple, *, detailed: bool) -> None:
    """scope = rated + not rated; rated = satisfied + not; with `detailed`, the five ratings
    (for departments, districts and whole projects; a project in a district shows only its
    share satisfied)."""
    rated, sat = pub.value(("rated", scope)), pub.value(("sat", scope))
    pub.set(("rated", scope), rated)
    pub.set(("sat", scope), sat)
    pub.set(("unrated", scope), pub.value(scope) - rated, shown=False)
    pub.equation(scope, [("rated", scope), ("unrated", scope)])
    pub.set(("unsat", scope), rated - sat, shown=detailed)
    pub.equation(("rated", scope), [("sat", scope), ("unsat", scope)])
    if detailed:
        ratings = [("rate", scope, v) for v in SCALE]
        for key in ratings:
            pub.add(key, 0)
        pub.equation(("rated", scope), ratings)
        pub.equation(("sat", scope), [("rate", scope, v) for v in SCALE if v >= GOOD])
        pub.equation(("unsat", scope), [("rate", scope, v) for v in SCALE if v < GOOD])


def _theme_equation(pub: Publication, scope: tuple, theme_codes: list[str]) -> None:
    pub.add(("theme", scope, None), 0, shown=False)
    for theme in theme_codes:
        pub.add(("theme", scope, theme), 0)
    pub.equation(scope, [("theme", scope, t) for t in [*theme_codes, None]])
