"""The choices offered by the submissions filter form, in the console's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..devices.models import Device
from ..extensions import db
from ..places.models import Place
from ..places.region import picker_places
from ..plans.models import Project, Theme
from ..surveys.models import Survey
from .display import localized
from .labels import CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS

# the form's fields (query argument -> label), also used to name a field in error messages
FIELD_LABELS = {
    "survey": _l("Survey"), "version": _l("Version"), "from": _l("From"), "to": _l("To"),
    "place": _l("Place"), "theme": _l("Theme"), "project": _l("Project"),
    "status": _l("Status"), "language": _l("Language"), "channel": _l("Channel"),
    "device": _l("Promoter"), "q": _l("Text search"),
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    depth: int = 0  # indentation in the place picker


def _place_options(areas: tuple[str, ...], chosen: str | None) -> list[Option]:
    """Departments and provinces (within the user's areas, else the region's); the
    districts of the chosen province or district's province, so a second pick narrows."""
    places = picker_places(areas, districts=False)
    province = chosen[:4] + "00" if chosen and not chosen.endswith("00") else chosen
    districts: list[Place] = []
    if province and not province.endswith("0000"):
        districts = list(db.session.scalars(select(Place).where(
            Place.parent_ubigeo == province, Place.level == "district").order_by(Place.name)))
    out = []
    for place in places:
        out.append(Option(place.ubigeo, place.name, 0 if place.level == "department" else 1))
        if place.ubigeo == province:
            out.extend(Option(d.ubigeo, d.name, 2) for d in districts)
    return out


def filter_options(lang: str, areas: tuple[str, ...], chosen_place: str | None) -> dict:
    surveys = [Option(code, localized(title, lang, code)) for code, title in db.session.execute(
        select(Survey.code, Survey.title).order_by(Survey.code))]
    themes: dict[str, Option] = {}
    for code, name in db.session.execute(select(Theme.code, Theme.name).order_by(
            Theme.plan_id, Theme.position)):
        themes.setdefault(code, Option(code, localized(name, lang, code)))
    projects = [Option(code, f"{code} · {name_qu if lang == 'qu' else name_es}")
                for code, name_es, name_qu in db.session.execute(
                    select(Project.code, Project.name_es, Project.name_qu)
                    .order_by(Project.code))]
    devices = [Option(str(d.id), f"{d.promoter_name} ({d.label})" if d.promoter_name
                      else d.label)
               for d in db.session.scalars(select(Device).order_by(Device.promoter_name,
                                                                   Device.label))]
    return {
        "surveys": surveys, "themes": list(themes.values()), "projects": projects,
        "devices": devices, "places": _place_options(areas, chosen_place),
        "statuses": [Option(k, str(v)) for k, v in STATUS_LABELS.items()],
        "languages": [Option(k, str(v)) for k, v in LANGUAGE_LABELS.items()],
        "channels": [Option(k, str(v)) for k, v in CHANNEL_LABELS.items()],
    }
