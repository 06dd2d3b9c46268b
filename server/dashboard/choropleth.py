"""A choropleth of feedback by district as SVG: each district's outline, filled darker the
more submissions it has (five classes at the quantiles of the districts that have any),
with a legend. Paths are drawn here, server-side: no script, no library. Projection as in
maps.py: equirectangular, corrected for latitude, fine at the scale of a department."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..places.boundaries import Polygon

WIDTH = 640
MAX_H = 640
PAD = 8
LEGEND_H = 46
CLASSES = 5
NAMED = 6  # the districts with most feedback carry their name


@dataclass(frozen=True)
class DistrictValue:
    name: str
    count: int
    note: str  # the count as shown


def class_breaks(counts: Sequence[int]) -> list[int]:
    """Upper bounds of up to five classes, at the quantiles of the positive counts."""
    positive = sorted(c for c in counts if c > 0)
    if not positive:
        return []
    breaks: list[int] = []
    for k in range(1, CLASSES + 1):
        bound = positive[min(len(positive) - 1, math.ceil(k * len(positive) / CLASSES) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def _class_of(count: int, breaks: list[int]) -> int:
    for index, bound in enumerate(breaks):
        if count <= bound:
            return index
    return len(breaks) - 1


def district_choropleth(chart_id: str, title: str, desc: str, legend_title: str,
                        no_data: str, shapes: Mapping[str, list[Polygon]],
                        values: Mapping[str, DistrictValue],
                        number: Callable[[int], str] = str,
                        breaks: list[int] | None = None) -> Markup:
    points = [pt for polygons in shapes.values() for polygon in polygons for pt in polygon[0]]
    if not points:
        return Markup("")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    mid = math.radians((min(lats) + max(lats)) / 2)
    x_span = max((max(lons) - min(lons)) * math.cos(mid), 0.01)
    y_span = max(max(lats) - min(lats), 0.01)
    scale = min((WIDTH - 2 * PAD) / x_span, (MAX_H - 2 * PAD - LEGEND_H) / y_span)
    height = round(y_span * scale + 2 * PAD + LEGEND_H)
    x0 = (WIDTH - x_span * scale) / 2
    west, north, x_scale = min(lons), max(lats), math.cos(mid) * scale

    def xy(lon: float, lat: float) -> str:
        return f"{round(x0 + (lon - west) * x_scale, 1)},{round(PAD + (north - lat) * scale, 1)}"

    def path(polygons: list[Polygon]) -> str:
        return "".join("M" + "L".join(xy(lon, lat) for lon, lat in ring) + "Z"
                       for polygon in polygons for ring in polygon)

    if breaks is None:
        breaks = class_breaks([v.count for v in values.values()])
    out = [
        f'<svg class="map choropleth" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for code, polygons in sorted(shapes.items()):
        value = values.get(code)
        css = f"q{_class_of(value.count, breaks)}" if value and value.count > 0 else "q-none"
        label = f"{value.name}: {value.note}" if value else no_data
        out.append(f'<path class="district {css}" d="{path(polygons)}" data-ubigeo="{code}">'
                   f'<title>{escape(label)}</title></path>')
    ranked = sorted((v.count, code) for code, v in values.items()
                    if code in shapes and v.count > 0)[::-1]
    placed: list[tuple[float, float, float, float]] = []
    for _count, code in ranked:
        if len(placed) == NAMED:
            break
        ring = shapes[code][0][0]
        x, y = (float(v) for v in xy(sum(p[0] for p in ring) / len(ring),
                                     sum(p[1] for p in ring) / len(ring)).split(","))
        half = 3.3 * len(values[code].name)
        box = (x - half, y - 11, x + half, y + 3)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed):
            continue  # names never overlap: a smaller one is left to its tooltip
        placed.append(box)
        out.append(f'<text class="place-name" x="{round(x, 1)}" y="{round(y, 1)}" '
                   f'text-anchor="middle">{escape(values[code].name)}</text>')
    out.append(_legend(height, legend_title, no_data, breaks, number))
    out.append("</svg>")
    return Markup("".join(out))


def _legend(height: int, legend_title: str, no_data: str, breaks: list[int],
            number: Callable[[int], str]) -> str:
    y = height - LEGEND_H + 22
    parts = [f'<g class="legend"><text x="{PAD}" y="{y - 6}">{escape(legend_title)}</text>']
    x, low = PAD, 1
    for index, bound in enumerate(breaks):
        text = number(bound) if low >= bound else f"{number(low)}–{number(bound)}"
        parts.append(f'<rect class="q{index}" x="{x}" y="{y}" width="14" height="14"/>'
                     f'<text x="{x + 18}" y="{y + 11}">{escape(text)}</text>')
        x += 28 + 9 * len(text)
        low = bound + 1
    parts.append(f'<rect class="q-none" x="{x}" y="{y}" width="14" height="14"/>'
                 f'<text x="{x + 18}" y="{y + 11}">{escape(no_data)}</text></g>')
    return "".join(parts)
