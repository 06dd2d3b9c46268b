"""Build the shipped district outlines (data/boundaries/districts.json) from the
peru-boundaries GeoJSON (MIT, Carlos León; see data/boundaries/LICENSE):

    python -m server.places.boundaries_build ../shared/data/peru-boundaries/distritos.geojson

Coordinates are rounded to 0.001° (about 110 m: finer than the source's ~5 km segments) and
stored per ring as integers, the first point absolute and the others as differences, which
keeps the file near 250 KB. Points that round onto their neighbour are dropped; rings left
with fewer than 4 points are dropped too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCALE = 1000
OUT = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "districts.json"


def encode_ring(ring: list[list[float]]) -> list[int]:
    points: list[tuple[int, int]] = []
    for lon, lat in ring:
        point = (round(lon * SCALE), round(lat * SCALE))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) < 4:
        return []
    flat = [points[0][0], points[0][1]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        flat += [x1 - x0, y1 - y0]
    return flat


def build(source: Path) -> dict[str, list[list[list[int]]]]:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    shapes: dict[str, list[list[list[int]]]] = {}
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            continue  # three districts collapsed in the source's simplification
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        encoded = [[r for r in (encode_ring(ring) for ring in polygon) if r]
                   for polygon in polygons]
        encoded = [polygon for polygon in encoded if polygon]
        if encoded:
            shapes[str(feature["id"]).zfill(6)] = encoded
    return shapes


def main(argv: list[str]) -> None:
    shapes = build(Path(argv[1]))
    OUT.write_text(json.dumps({"scale": SCALE, "districts": shapes}, separators=(",", ":"),
                              sort_keys=True), encoding="utf-8")
    sys.stderr.write(f"{len(shapes)} districts, {OUT.stat().st_size} bytes -> {OUT}\n")


if __name__ == "__main__":
    main(sys.argv)
