"""Place look-ups: children, accent-insensitive search, bulk lists for offline use."""

from __future__ import annotations

import threading

from sqlalchemy import case, select

from ..extensions import db
from ..textmatch import escape_like
from .models import Place
from .names import search_key

_district_lock = threading.Lock()
_district_cache: dict[str, frozenset[str]] = {}


def district_codes() -> frozenset[str]:
    """All district ubigeos, read once per process and database (the list changes rarely)."""
    key = str(db.engine.url)
    with _district_lock:
        codes = _district_cache.get(key)
    if codes is None:
        codes = frozenset(db.session.scalars(select(Place.ubigeo).where(Place.level == "district")))
        if codes:
            with _district_lock:
                _district_cache[key] = codes
    return codes


def forget_cached_places() -> None:
    with _district_lock:
        _district_cache.clear()


def ubigeo_prefix(code: str) -> str:
    """'180000' -> '18', '180100' -> '1801', a district -> itself."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def get_place(ubigeo: str) -> Place | None:
    return db.session.get(Place, ubigeo)


def children(parent: str | None) -> list[Place]:
    stmt = select(Place).order_by(Place.name)
    if parent:
        stmt = stmt.where(Place.parent_ubigeo == parent)
    else:
        stmt = stmt.where(Place.level == "department")
    return list(db.session.scalars(stmt))


def search(text: str, parent: str | None = None, level: str | None = None,
           limit: int = 20) -> list[Place]:
    """Accent- and case-insensitive: 'ichuna' finds Ichuña. Prefix matches come first."""
    key = search_key(text)
    escaped = escape_like(key)
    stmt = select(Place).where(Place.search_name.like(f"%{escaped}%", escape="\\"))
    if parent:
        stmt = stmt.where(Place.ubigeo.like(ubigeo_prefix(parent) + "%"), Place.ubigeo != parent)
    if level:
        stmt = stmt.where(Place.level == level)
    prefix_first = case((Place.search_name.like(f"{escaped}%", escape="\\"), 0), else_=1)
    level_order = case((Place.level == "district", 0), (Place.level == "province", 1), else_=2)
    stmt = stmt.order_by(prefix_first, level_order, Place.name).limit(limit)
    return list(db.session.scalars(stmt))


def department_places(department: str) -> list[Place]:
    return list(db.session.scalars(
        select(Place).where(Place.department_ubigeo == department).order_by(Place.ubigeo)))


def names_by_code(codes: set[str]) -> dict[str, Place]:
    if not codes:
        return {}
    return {p.ubigeo: p for p in db.session.scalars(select(Place).where(Place.ubigeo.in_(codes)))}
