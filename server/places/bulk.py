"""A department's places as compact rows, for a phone to keep offline: what
`GET /api/v1/places/bulk/<department>` answers and the pairing answer carries
(server/devices/first_day.py)."""

from __future__ import annotations

from typing import Any

from .schemas import BulkPlacesSchema
from .services import department_places, get_place

BULK_COLUMNS = ["ubigeo", "level", "parent", "name", "lat", "lon"]
LEVEL_NUMBERS = {"department": 1, "province": 2, "district": 3}


def bulk_places(department: str) -> dict[str, Any] | None:
    """The department's rows, or None when `department` names no department."""
    place = get_place(department)
    if place is None or place.level != "department":
        return None
    rows = [[p.ubigeo, LEVEL_NUMBERS[p.level], p.parent_ubigeo, p.name, p.latitude, p.longitude]
            for p in department_places(department)]
    return BulkPlacesSchema().dump({"department": department, "columns": BULK_COLUMNS,
                                    "levels": LEVEL_NUMBERS, "rows": rows})
