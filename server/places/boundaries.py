"""District outlines (simplified, from peru-boundaries, MIT: data/boundaries/LICENSE),
read once per process, and served per department or province as GeoJSON."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

Ring = list[tuple[float, float]]  # (lon, lat)
Polygon = list[Ring]  # outer ring first, then holes


@lru_cache(maxsize=1)
def _encoded() -> tuple[int, dict[str, list[list[list[int]]]]]:
    ref = resources.files("server.data").joinpath("boundaries", "districts.json")
    with ref.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return data["scale"], data["districts"]


def _decode(flat: list[int], scale: int) -> Ring:
    x, y = flat[0], flat[1]
    ring = [(x / scale, y / scale)]
    for i in range(2, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        ring.append((x / scale, y / scale))
    return ring


def district_shapes(prefixes: set[str] | tuple[str, ...]) -> dict[str, list[Polygon]]:
    """{district ubigeo: polygons} for districts whose ubigeo starts with any prefix
    ('18' a department, '1801' a province, or a district itself)."""
    scale, encoded = _encoded()
    wanted = tuple(prefixes)
    return {code: [[_decode(ring, scale) for ring in polygon] for polygon in polygons]
            for code, polygons in encoded.items() if wanted and code.startswith(wanted)}


def has_outlines() -> bool:
    return bool(_encoded()[1])


def geojson(prefix: str, names: dict[str, str]) -> dict:
    """A FeatureCollection (RFC 7946, lon/lat) of the districts under `prefix`."""
    features = []
    for code, polygons in sorted(district_shapes((prefix,)).items()):
        rings = [[[[lon, lat] for lon, lat in ring] for ring in polygon]
                 for polygon in polygons]
        geometry = ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                    else {"type": "MultiPolygon", "coordinates": rings})
        features.append({"type": "Feature", "id": code, "geometry": geometry,
                         "properties": {"ubigeo": code, "name": names.get(code, code)}})
    return {"type": "FeatureCollection", "features": features,
            "attribution": "peru-boundaries (Carlos León, MIT) from IDEP/INEI"}
