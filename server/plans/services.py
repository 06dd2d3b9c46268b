"""Creating plans with their themes; looking them up."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import Plan, Theme


def get_plan(code: str) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.code == code))


def create_plan(data: dict) -> Plan:
    """From {"code", "name": {es, qu}, "department", "period", "themes": [{code, name, …}]}."""
    plan = Plan(code=data["code"], name=data["name"], department_ubigeo=data.get("department"),
                period=data.get("period"))
    for position, theme in enumerate(data.get("themes", [])):
        plan.themes.append(Theme(code=theme["code"], name=theme["name"], position=position,
                                 description=theme.get("description")))
    db.session.add(plan)
    db.session.commit()
    return plan
