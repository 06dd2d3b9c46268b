"""The comparison pages (/comparar, /comparar/<department>) and their open data
(/datos/comparar.csv, /datos/<department>/comparar.csv, /datos/comparar.json)."""

from __future__ import annotations

from flask import abort, jsonify

from . import services
from .compare import COLUMNS, download_row, province_rows, region_rows
from .figures import portal_k
from .open_data import _csv, _licence, _served
from .views import bp, render_page


@bp.get("/comparar")
def compare_regions():
    return render_page("portal/compare.html", rows=region_rows(services.regions()),
                       department=None, total=None)


@bp.get("/comparar/<ubigeo>")
def compare_provinces(ubigeo: str):
    department = services.place(ubigeo, "department")
    if department is None or not services.served_region(ubigeo):
        abort(404)
    total, rows = province_rows(department, services.children(ubigeo))
    return render_page("portal/compare.html", rows=rows, department=department, total=total)


@bp.get("/datos/comparar.csv")
def compare_regions_csv():
    k = portal_k()
    return _csv([download_row(r, k) for r in region_rows(services.regions())], COLUMNS,
                "willay-comparar-regiones.csv")


@bp.get("/datos/<ubigeo>/comparar.csv")
def compare_provinces_csv(ubigeo: str):
    _served(ubigeo)
    department = services.place(ubigeo, "department")
    total, rows = province_rows(department, services.children(ubigeo))
    k = portal_k()
    return _csv([download_row(r, k) for r in (total, *rows)], COLUMNS,
                f"willay-{ubigeo}-comparar.csv")


@bp.get("/datos/comparar.json")
def compare_json():
    k = portal_k()
    regions = services.regions()
    provinces = {}
    for region in regions:
        _total, rows = province_rows(region, services.children(region.ubigeo))
        provinces[region.ubigeo] = [download_row(r, k) for r in rows]
    return jsonify({"licence": _licence(), "k": k, "columns": list(COLUMNS),
                    "regions": [download_row(r, k) for r in region_rows(regions)],
                    "provinces": provinces})
