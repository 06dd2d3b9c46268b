from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from ..api.errors import ApiError
from ..api.http import cached_json
from ..jsonutil import digest
from ..web.compression import compressed
from .boundaries import geojson
from .bulk import bulk_places
from .schemas import PlaceListSchema, PlaceQuerySchema
from .services import children, department_places, get_place, names_by_code, search

bp = Blueprint("places", __name__, url_prefix="/api/v1/places")


def _ancestors(place) -> list[str]:
    if place.level == "district":
        return [place.ubigeo[:4] + "00", place.ubigeo[:2] + "0000"]
    return [place.ubigeo[:2] + "0000"] if place.level == "province" else []


def _with_paths(places: list) -> list[dict]:
    """Each place with a readable path, 'Ichuña — General Sánchez Cerro — Moquegua'."""
    parents = names_by_code({code for place in places for code in _ancestors(place)})
    return [{
        "ubigeo": p.ubigeo, "level": p.level, "name": p.name, "parent_ubigeo": p.parent_ubigeo,
        "latitude": p.latitude, "longitude": p.longitude,
        "path": " — ".join([p.name] + [parents[c].name for c in _ancestors(p) if c in parents]),
    } for p in places]


@bp.get("")
def list_places():
    args = PlaceQuerySchema().load(request.args.to_dict())
    if args["q"]:
        places = search(args["q"], parent=args["parent"], level=args["level"],
                        limit=args["limit"])
    else:
        if args["parent"] and get_place(args["parent"]) is None:
            raise ApiError(404, "not_found", _("There is no place with this ubigeo."))
        places = children(args["parent"])
    payload = PlaceListSchema().dump({"places": _with_paths(places)})
    return cached_json(payload, digest(payload), max_age=3600)


@bp.get("/bulk/<department>")
@compressed()  # kept offline by every phone, fetched on its first day
def bulk(department: str):
    """Every place of a department as compact rows, for the app to keep offline."""
    payload = bulk_places(department)
    if payload is None:
        raise ApiError(404, "not_found", _("There is no department with this ubigeo."))
    return cached_json(payload, digest(payload), max_age=86400)


@bp.get("/<code>/boundaries.geojson")
def boundaries(code: str):
    """District outlines of a department or province, for maps (public reference data)."""
    place = get_place(code)
    if place is None or place.level == "district":
        raise ApiError(404, "not_found", _("There is no department or province with this ubigeo."))
    prefix = code[:2] if place.level == "department" else code[:4]
    names = {p.ubigeo: p.name for p in department_places(code[:2] + "0000")}
    payload = geojson(prefix, names)
    response = cached_json(payload, digest(payload), max_age=86400)
    response.mimetype = "application/geo+json"
    return response
