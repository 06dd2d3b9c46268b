"""Turns computed figures into what the dashboard page shows: for every chart its SVG and
the same figures as table rows (the accessible alternative), labels in the console
language, and links that narrow the filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_datetime
from flask import url_for
from flask_babel import (
    format_date,
    format_decimal,
    format_number,
    format_percent,
    get_locale,
    ngettext,
)
from flask_babel import gettext as _
from markupsafe import Markup

from ..peru import PERU_TZ
from ..places.boundaries import district_shapes
from ..submissions.filters import SubmissionFilter
from . import labels
from .aggregates import NONE, Dashboard
from .charts import Bar, bar_chart, column_chart
from .choropleth import DistrictValue, class_breaks, district_choropleth
from .maps import MapPoint, district_map
from .ratings import SCALE, RatingCounts
from .timeline import Period, timeline


@dataclass
class Cell:
    text: str
    href: str | None = None
    numeric: bool = False


@dataclass
class Section:
    id: str
    title: str
    chart: Markup
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""




def peru_time(moment: datetime) -> str:
    return format_datetime(moment, "dd/MM/yyyy HH:mm:ss", tzinfo=PERU_TZ, locale=get_locale())


def day(d: date) -> str:
    return format_date(d, "dd/MM/yyyy")


def _share(n: int, total: int) -> str:
    return format_percent(n / total, "#,##0.0%") if total else "–"


def _narrowed(flt: SubmissionFilter, **change: str) -> str:
    return url_for("console.home", **(flt.as_args() | change))


def sections(data: Dashboard, flt: SubmissionFilter) -> list[Section]:
    out = [_timeline(data, flt), _themes(data, flt), _districts(data, flt),
           _projects(data, flt)]
    out.extend(_rating(i, question, counts) for i, (question, counts) in enumerate(data.ratings))
    out.append(_statuses(data, flt))
    return [s for s in out if s is not None]


def _period_label(unit: str, period: Period) -> str:
    if unit == "week":
        return _("Week of %(date)s", date=day(period.start))
    if unit == "month":
        return format_date(period.start, "MMMM yyyy")
    return day(period.start)


def _timeline(data: Dashboard, flt: SubmissionFilter) -> Section | None:
    unit, periods = timeline(data.by_hour, flt.date_from, flt.date_to)
    if not periods:
        return None
    title = {"day": _("Submissions per day"), "week": _("Submissions per week"),
             "month": _("Submissions per month")}[unit]
    bars = [Bar(_period_label(unit, p), p.count, format_number(p.count)) for p in periods]
    busiest = max(periods, key=lambda p: p.count)
    desc = ngettext(
        "From %(first)s to %(last)s. The busiest was %(period)s, with %(count)s submission.",
        "From %(first)s to %(last)s. The busiest was %(period)s, with %(count)s submissions.",
        busiest.count, first=day(periods[0].start), last=day(periods[-1].end),
             period=_period_label(unit, busiest), count=format_number(busiest.count))
    chart = column_chart("ch-time", title, desc, bars, day(periods[0].start),
                         day(periods[-1].end))
    rows = [[Cell(b.label), Cell(b.note, numeric=True)] for b in bars]
    return Section("time", title, chart, [_("Period"), _("Submissions")], rows, desc)


def _ranked(counts: dict[str, int], names: dict[str, str], none_label: str
            ) -> list[tuple[str, str, int]]:
    items = [(code, names.get(code, code) if code != NONE else none_label, n)
             for code, n in counts.items()]
    return sorted(items, key=lambda item: (item[0] == NONE, -item[2], item[1]))


def _counted(section_id: str, title: str, items: list[tuple[str, str, int]], total: int,
             head: str, link) -> Section:
    bars = [Bar(name, n, format_number(n)) for _code, name, n in items]
    desc = ngettext(
        "%(count)s group; the largest is %(name)s with %(n)s.",
        "%(count)s groups; the largest is %(name)s with %(n)s.", len(items), count=len(items),
             name=items[0][1], n=format_number(items[0][2])) if items else ""
    chart = bar_chart(f"ch-{section_id}", title, desc, bars)
    rows = [[Cell(name, link(code) if code != NONE else None),
             Cell(format_number(n), numeric=True), Cell(_share(n, total), numeric=True)]
            for code, name, n in items]
    return Section(section_id, title, chart, [head, _("Submissions"), _("Share")], rows, desc)


def _themes(data: Dashboard, flt: SubmissionFilter) -> Section | None:
    if not data.by_theme:
        return None
    items = _ranked(data.by_theme, labels.theme_names(), _("No theme"))
    return _counted("theme", _("Submissions by theme"), items, data.total, _("Theme"),
                    lambda code: _narrowed(flt, theme=code))


def _projects(data: Dashboard, flt: SubmissionFilter) -> Section | None:
    if not data.by_project or set(data.by_project) == {NONE}:
        return None
    names = labels.project_names()
    items = [(code, f"{code} · {name}" if code != NONE else name, n)
             for code, name, n in _ranked(data.by_project, names, _("No project"))]
    return _counted("project", _("Submissions by project"), items, data.total, _("Project"),
                    lambda code: _narrowed(flt, project=code))


def _districts(data: Dashboard, flt: SubmissionFilter) -> Section | None:
    if not data.by_district:
        return None
    places = labels.places(set(data.by_district))
    items = sorted(data.by_district.items(), key=lambda item: -item[1])
    points = [MapPoint(code, places[code].name, places[code].latitude, places[code].longitude,
                       n, format_number(n))
              for code, n in items
              if code in places and places[code].latitude is not None
              and places[code].longitude is not None]
    departments = {p.department_ubigeo for p in places.values()}
    title = _("Submissions by district")
    desc = ngettext(
        "%(count)s district; the most feedback came from %(name)s (%(n)s).",
        "%(count)s districts; the most feedback came from %(name)s (%(n)s).", len(items),
        count=len(items), name=places[items[0][0]].name if items[0][0] in places
             else items[0][0], n=format_number(items[0][1]))
    shapes = district_shapes({code[:2] for code in departments})
    if shapes:  # outlines coloured by the count; bubbles only without boundary data
        chart = _choropleths(data, places, shapes, title, desc)
    else:
        chart = district_map("ch-map", title, desc, points, labels.district_dots(departments))
    rows = []
    for code, n in items:
        place = places.get(code)
        rows.append([Cell(place.name if place else code, _narrowed(flt, place=code)),
                     Cell(code), Cell(format_number(n), numeric=True),
                     Cell(_share(n, data.total), numeric=True)])
    return Section("district", title, chart,
                   [_("District"), _("Ubigeo"), _("Submissions"), _("Share")], rows, desc)


def _choropleths(data: Dashboard, places: dict, shapes: dict, title: str,
                 desc: str) -> Markup:
    """One map per department (regions far apart would leave a map mostly empty), all
    with the same colour classes so that they compare."""
    every = {**labels.places(set(shapes) | {code[:2] + "0000" for code in shapes}), **places}
    values = {code: DistrictValue(every[code].name, data.by_district.get(code, 0),
                                  format_number(data.by_district.get(code, 0)))
              for code in shapes if code in every}
    breaks = class_breaks([v.count for v in values.values()])
    by_department: dict[str, dict] = {}
    for code, polygons in shapes.items():
        by_department.setdefault(code[:2], {})[code] = polygons
    maps = []
    for department, group in sorted(by_department.items()):
        name = every.get(department + "0000")
        heading = f"{title} — {name.name}" if name and len(by_department) > 1 else title
        svg = district_choropleth(f"ch-map-{department}", heading, desc, _("Submissions"),
                                  format_number(0), group, values, format_number, breaks)
        maps.append(Markup('<figure class="map-one"><figcaption>{}</figcaption>{}</figure>')
                    .format(name.name, svg) if name and len(by_department) > 1 else svg)
    return Markup('<div class="map-set">') + Markup("").join(maps) + Markup("</div>")


def rating_rows(counts: RatingCounts) -> list[list[Cell]]:
    return [[Cell("★" * value + f" ({value})"), Cell(format_number(counts.counts[value]),
             numeric=True), Cell(_share(counts.counts[value], counts.total), numeric=True)]
            for value in reversed(SCALE)]


def _rating(index: int, question, counts: RatingCounts) -> Section:
    title = _("Ratings: %(question)s (%(survey)s)",
              question=labels.in_language(question.label, question.question_id),
              survey=labels.in_language(question.survey_title, question.survey_code))
    desc = ngettext(
        "%(count)s rating, average %(average)s of 5; 4 or 5 stars: %(good)s.",
        "%(count)s ratings, average %(average)s of 5; 4 or 5 stars: %(good)s.",
        counts.total, count=format_number(counts.total),
             average=format_decimal(counts.average or 0, "0.0"),
             good=format_percent(counts.good_share or 0, "#,##0%"))
    bars = [Bar("★" * v + f" ({v})", counts.counts[v], format_number(counts.counts[v]))
            for v in reversed(SCALE)]
    chart = bar_chart(f"ch-rating-{index}", title, desc, bars)
    return Section(f"rating-{index}", title, chart, [_("Rating"), _("Answers"), _("Share")],
                   rating_rows(counts), desc)


def _statuses(data: Dashboard, flt: SubmissionFilter) -> Section:
    items = [(code, str(labels.STATUS_LABELS.get(code, code)), n)
             for code, n in sorted(data.by_status.items(), key=lambda item: -item[1])]
    return _counted("status", _("Submissions by review status"), items, data.total,
                    _("Status"), lambda code: _narrowed(flt, status=code))
