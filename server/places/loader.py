"""Load the shipped ubigeo CSVs into the places table (idempotent)."""

from __future__ import annotations

import csv
import logging
from importlib import resources

from sqlalchemy import func, insert, select

from ..extensions import db
from .models import Place
from .names import accent_dictionary, display_name, search_key, supplement
from .services import forget_cached_places

log = logging.getLogger(__name__)

FILES = {
    "department": ("ubigeo_departamento.csv", "departamento"),
    "province": ("ubigeo_provincia.csv", "provincia"),
    "district": ("ubigeo_distrito.csv", "distrito"),
}


def _read(filename: str) -> list[dict[str, str]]:
    ref = resources.files("server.data").joinpath("ubigeo", filename)
    with ref.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def place_rows() -> list[dict]:
    tables = {level: _read(filename) for level, (filename, _) in FILES.items()}
    accents = accent_dictionary(
        (row["capital"] for rows in tables.values() for row in rows if row.get("capital")),
        supplement(),
    )
    out = []
    for level, (_, name_column) in FILES.items():
        for row in tables[level]:
            code = row["inei"].strip()
            if not (len(code) == 6 and code.isdigit()):
                # one 2014 district has no INEI code in the source; we don't invent one
                log.warning("skipping %s %s: no INEI ubigeo", level, row.get(name_column))
                continue
            parent = {"department": None, "province": code[:2] + "0000",
                      "district": code[:4] + "00"}[level]
            name = display_name(row[name_column], accents)
            out.append({
                "ubigeo": code,
                "level": level,
                "name": name,
                "search_name": search_key(name),
                "parent_ubigeo": parent,
                "department_ubigeo": code[:2] + "0000",
                "capital": row.get("capital") or None,
                "latitude": _float(row.get("latitude", "")),
                "longitude": _float(row.get("longitude", "")),
            })
    return out


def load_places(replace: bool = False) -> int:
    """Insert every place; with `replace`, reload even when places exist. Returns the count."""
    existing = db.session.scalar(select(func.count()).select_from(Place))
    if existing and not replace:
        log.info("places already loaded (%s rows)", existing)
        return existing
    rows = place_rows()
    if existing:
        # submissions and projects refer to places: update in place, never delete
        for row in rows:
            db.session.merge(Place(**row))
    else:
        # parents first: departments, provinces, districts (rows are in that order)
        db.session.execute(insert(Place), rows)
    db.session.commit()
    forget_cached_places()
    log.info("loaded %s places", len(rows))
    return len(rows)
