"""Names shown on the dashboard and plan pages, in the console language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..i18n import content_language
from ..places.models import Place
from ..plans.models import Project, Theme

STATUS_LABELS = {
    "new": _l("Received"), "verified": _l("Verified"), "flagged": _l("Flagged"),
    "spam": _l("Spam"), "answered": _l("Answered"), "closed": _l("Closed"),
}
CHANNEL_LABELS = {"device": _l("Promoters"), "public": _l("Residents (public link)"),
                  "sms": _l("Residents (SMS)")}
LANGUAGE_LABELS = {"es": _l("Spanish"), "qu": _l("Quechua")}


def in_language(texts: dict | None, fallback: str = "") -> str:
    """The text in the console language, else in the other one."""
    if not isinstance(texts, dict):
        return fallback
    lang = content_language()
    return texts.get(lang) or texts.get("es") or texts.get("qu") or fallback


def theme_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in db.session.execute(select(Theme.code, Theme.name).order_by(Theme.id)):
        names.setdefault(code, in_language(name, code))
    return names


def project_names() -> dict[str, str]:
    lang = content_language()
    names: dict[str, str] = {}
    stmt = select(Project.code, Project.name_es, Project.name_qu).order_by(Project.id)
    for code, name_es, name_qu in db.session.execute(stmt):
        names.setdefault(code, (name_qu if lang == "qu" else name_es) or name_es or code)
    return names


def places(codes: set[str]) -> dict[str, Place]:
    if not codes:
        return {}
    return {p.ubigeo: p for p in db.session.scalars(select(Place).where(Place.ubigeo.in_(codes)))}


def district_dots(departments: set[str]) -> list[tuple[float, float]]:
    """Capitals of every district of these departments (the map's faint background)."""
    if not departments:
        return []
    stmt = select(Place.latitude, Place.longitude).where(
        Place.level == "district", Place.department_ubigeo.in_(departments),
        Place.latitude.is_not(None), Place.longitude.is_not(None))
    return [(lat, lon) for lat, lon in db.session.execute(stmt)]
