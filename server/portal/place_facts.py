"""Population, poverty and human development of a place, from the shipped ubigeo list
(server/data/ubigeo: INEI area in km², 2020 density per km², IDH 2019, % poor). Read once
per process: the table of places keeps names and the tree, these facts stay in the CSVs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

FILES = ("ubigeo_departamento.csv", "ubigeo_provincia.csv", "ubigeo_distrito.csv")


@dataclass(frozen=True)
class PlaceFacts:
    area_km2: float | None
    density_2020: float | None
    idh_2019: float | None
    poverty_pct: float | None
    extreme_poverty_pct: float | None

    @property
    def population(self) -> int | None:
        """Inhabitants in 2020: area × density (the list has no head count of its own)."""
        if self.area_km2 is None or self.density_2020 is None:
            return None
        return round(self.area_km2 * self.density_2020)


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "", "NA") else None
    except ValueError:
        return None


@cache
def _all_facts() -> dict[str, PlaceFacts]:
    facts: dict[str, PlaceFacts] = {}
    for filename in FILES:
        ref = resources.files("server.data").joinpath("ubigeo", filename)
        with ref.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                facts[row["inei"]] = PlaceFacts(
                    _number(row.get("superficie")), _number(row.get("pob_densidad_2020")),
                    _number(row.get("idh_2019")), _number(row.get("pct_pobreza_total")),
                    _number(row.get("pct_pobreza_extrema")))
    return facts


def place_facts(ubigeo: str) -> PlaceFacts | None:
    return _all_facts().get(ubigeo)
