"""A district from what a resident types: its ubigeo, or its name with accents or typos."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..places.models import Place
from ..places.names import search_key
from ..places.services import district_codes, names_by_code, search

MAX_OFFERED = 5
_UBIGEO = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Found:
    ubigeo: str | None  # one district found
    candidates: tuple[tuple[str, str], ...] = ()  # (ubigeo, "Name (Province)") to choose from


def _in_department(code: str, department: str | None) -> bool:
    return department is None or code[:2] == department[:2]


def _labelled(places: list[Place]) -> tuple[tuple[str, str], ...]:
    provinces = names_by_code({p.parent_ubigeo for p in places if p.parent_ubigeo})
    out = []
    for place in places:
        province = provinces.get(place.parent_ubigeo or "")
        out.append((place.ubigeo, f"{place.name} ({province.name})" if province else place.name))
    return tuple(out)


def _close_matches(key: str, department: str | None) -> list[Place]:
    stmt = select(Place).where(Place.level == "district")
    if department:
        stmt = stmt.where(Place.department_ubigeo == department)
    places = list(db.session.scalars(stmt))
    by_key: dict[str, list[Place]] = {}
    for place in places:
        by_key.setdefault(place.search_name, []).append(place)
    matches = difflib.get_close_matches(key, list(by_key), n=MAX_OFFERED, cutoff=0.75)
    return [p for m in matches for p in by_key[m]][:MAX_OFFERED]


def find_district(text: str, department: str | None) -> Found:
    typed = text.strip()
    if _UBIGEO.match(typed):
        ok = typed in district_codes() and _in_department(typed, department)
        return Found(typed if ok else None)
    key = search_key(typed)
    if len(key) < 3:
        return Found(None)
    places = search(typed, parent=department, level="district", limit=MAX_OFFERED + 1)
    exact = [p for p in places if p.search_name == key]
    if len(exact) == 1:
        return Found(exact[0].ubigeo)
    if not places:
        places = _close_matches(key, department)
    if len(places) == 1:
        return Found(places[0].ubigeo)
    return Found(None, _labelled((exact or places)[:MAX_OFFERED]))
