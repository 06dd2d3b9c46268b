"""A map of feedback by district as SVG: a circle at each district capital, its area
proportional to the count, over faint dots for the other districts of the same
departments so the shape of the region shows. Plain equirectangular projection, corrected
for latitude: good enough at the scale of a department or two."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
MIN_H, MAX_H = 260, 640
R_MIN, R_MAX = 3.0, 24.0
NAMED = 8  # the largest circles carry their district's name


@dataclass(frozen=True)
class MapPoint:
    ubigeo: str
    name: str
    lat: float
    lon: float
    count: int
    note: str = ""  # the count as shown


def district_map(chart_id: str, title: str, desc: str, points: Sequence[MapPoint],
                 context: Sequence[tuple[float, float]] = ()) -> Markup:
    every = [(p.lat, p.lon) for p in points] + list(context)
    if not every:
        return Markup("")
    lats, lons = [a for a, _ in every], [b for _, b in every]
    mid = math.radians((min(lats) + max(lats)) / 2)
    x_span = max((max(lons) - min(lons)) * math.cos(mid), 0.05)
    y_span = max(max(lats) - min(lats), 0.05)
    pad = 0.08 * max(x_span, y_span) + 0.02
    scale = (WIDTH - 2 * R_MAX) / (x_span + 2 * pad)
    height = int(min(MAX_H, max(MIN_H, (y_span + 2 * pad) * scale + 2 * R_MAX)))
    scale = min(scale, (height - 2 * R_MAX) / (y_span + 2 * pad))
    x0 = (WIDTH - (x_span + 2 * pad) * scale) / 2
    y0 = (height - (y_span + 2 * pad) * scale) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        x = x0 + ((lon - min(lons)) * math.cos(mid) + pad) * scale
        y = y0 + ((max(lats) - lat) + pad) * scale
        return round(x, 1), round(y, 1)

    top = max((p.count for p in points), default=0) or 1
    out = [
        f'<svg class="map" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<rect class="sea" x="0" y="0" width="{WIDTH}" height="{height}"/>',
    ]
    for lat, lon in context:
        x, y = xy(lat, lon)
        out.append(f'<circle class="place" cx="{x}" cy="{y}" r="1.8"/>')
    ordered = sorted(points, key=lambda p: -p.count)  # small circles drawn over large ones
    for p in ordered:
        x, y = xy(p.lat, p.lon)
        r = round(R_MIN + (R_MAX - R_MIN) * math.sqrt(p.count / top), 1)
        out.append(f'<circle class="spot" cx="{x}" cy="{y}" r="{r}" data-ubigeo="{p.ubigeo}">'
                   f'<title>{escape(p.name)}: {escape(p.note or p.count)}</title></circle>')
    for p in ordered[:NAMED]:
        x, y = xy(p.lat, p.lon)
        r = R_MIN + (R_MAX - R_MIN) * math.sqrt(p.count / top)
        out.append(f'<text class="place-name" x="{round(x + r + 3, 1)}" y="{round(y + 4, 1)}">'
                   f'{escape(p.name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
