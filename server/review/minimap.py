"""A small map for one submission: its location among the district capitals of its
department, drawn as inline SVG by the template (no tiles, no third-party code)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..places.models import Place

WIDTH = HEIGHT = 260
PAD = 14
# a point this far (degrees) outside the department is not drawn: it would shrink the map
# to nothing; the text still gives its coordinates and distance
FAR = 2.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    name: str


@dataclass(frozen=True)
class MiniMap:
    capitals: list[Dot]
    district: Dot | None  # the capital of the submission's district
    point: Dot | None  # the reported location, when it fits on the map
    km_from_capital: float | None
    width: int = WIDTH
    height: int = HEIGHT


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def minimap(district_ubigeo: str, lat: float | None, lon: float | None) -> MiniMap | None:
    rows = db.session.execute(select(Place.ubigeo, Place.name, Place.latitude, Place.longitude)
                              .where(Place.department_ubigeo == district_ubigeo[:2] + "0000",
                                     Place.level == "district",
                                     Place.latitude.is_not(None),
                                     Place.longitude.is_not(None))).all()
    if not rows:
        return None
    lats = [r.latitude for r in rows]
    lons = [r.longitude for r in rows]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    has_point = lat is not None and lon is not None
    fits = has_point and (south - FAR <= lat <= north + FAR and west - FAR <= lon <= east + FAR)
    if fits:
        south, north, west, east = min(south, lat), max(north, lat), min(west, lon), max(east, lon)
    squeeze = math.cos(math.radians((south + north) / 2))  # equirectangular, true at mid-lat
    span = max((east - west) * squeeze, north - south, 0.01)
    scale = (WIDTH - 2 * PAD) / span

    def project(la: float, lo: float, name: str) -> Dot:
        return Dot(round(PAD + (lo - west) * squeeze * scale, 1),
                   round(PAD + (north - la) * scale, 1), name)

    capitals = [project(r.latitude, r.longitude, r.name) for r in rows]
    own = next((r for r in rows if r.ubigeo == district_ubigeo), None)
    return MiniMap(
        capitals=capitals,
        district=project(own.latitude, own.longitude, own.name) if own else None,
        point=project(lat, lon, "") if fits else None,
        km_from_capital=(round(distance_km(lat, lon, own.latitude, own.longitude), 1)
                         if has_point and own else None))
