"""The deployment's region: the departments its plans belong to. Place pickers offer these
departments' places only, not all of Peru's 2,100."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..extensions import db
from .models import Place
from .services import ubigeo_prefix


def region_departments() -> tuple[str, ...]:
    """Department ubigeos of the plans; empty when no plan names one (then all of Peru)."""
    from ..plans.models import Plan  # plans build on places, not the other way round

    return tuple(sorted(set(db.session.scalars(
        select(Plan.department_ubigeo).where(Plan.department_ubigeo.is_not(None))))))


def picker_places(areas: tuple[str, ...] = (), *, districts: bool = True,
                  parents: bool = True) -> list[Place]:
    """Places to offer, in ubigeo order (a department, its provinces, their districts):
    within the user's areas when limited, else within the region. `parents`: a user
    limited to a province also sees its department (as a heading)."""
    scope = areas or region_departments()
    stmt = select(Place).order_by(Place.ubigeo)
    if not districts:
        stmt = stmt.where(Place.level.in_(("department", "province")))
    if scope:
        stmt = stmt.where(or_(
            *(Place.ubigeo.like(ubigeo_prefix(code) + "%") for code in scope),
            # a user limited to a province still sees where it belongs
            *(Place.ubigeo == code[:2] + "0000" for code in scope if parents)))
    elif districts:
        stmt = stmt.where(Place.level.in_(("department", "province")))
    return list(db.session.scalars(stmt))
