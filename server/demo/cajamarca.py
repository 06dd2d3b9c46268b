"""The demo's second region: Cajamarca (department 060000), beside Moquegua.

Everything here is demo content: the plan is a plausible *PDRC Cajamarca al 2030*, not the
official text; amounts, commitments and updates are invented; the mining company, the
civil-society network, the irrigation committee and the cooperation fund are fictional.
Every text a reader sees is given in Spanish (es_PE, tú) and Southern Quechua (qu); names
of institutions and places stay in Spanish (translations/GLOSSARY.md §4.3).

Files in server/demo/data/ (``{es, qu}`` means ``{"es": "...", "qu": "..."}``):

- ``plan_cajamarca.json``: the plan, as ``plans.services.create_plan`` reads it:
  ``{code, name: {es, qu}, department, period, themes: [{code, name, description}]}``.
- ``projects_cajamarca.csv``: the plans CSV (docs/plans-csv.md) plus ``budget_pen``, the
  project's budget in soles (a decimal string; the importer ignores the column).
- ``progress_cajamarca.json``: ``{"progress": {project code: [{date (YYYY-MM-DD),
  progress_pct (0-100, never decreasing), source (the report's title)}]}}``, oldest
  first; the last entry equals the CSV's ``progress_pct``.
- ``feedback_cajamarca.json``: the residents' feedback form; its ``theme`` and ``project``
  questions say ``"choices": "plan themes"`` / ``"plan projects"`` and get their choices
  from the plan when it is published (one source of truth for the names).
- ``actors_cajamarca.json``: ``{"actors": [{code, type, name: {es, qu}, place (ubigeo or
  null), description: {es, qu}}]}``; ``type`` is one of commitments.models.ACTOR_TYPES;
  an institution keeps its own Spanish name in both languages.
- ``commitments_cajamarca.json``: ``{"commitments": [{code, project, actor, what: {es, qu},
  amount_pen (decimal string or null), due (YYYY-MM-DD), status (one of
  commitments.models.COMMITMENT_STATUSES), fulfilled_on (YYYY-MM-DD, only when
  fulfilled), updates: [{date, text: {es, qu}, evidence_url (optional)}]}]}``.
- ``updates_cajamarca.json``: the coordinators' public posts, ``{"updates": [{project,
  date, title: {es, qu}, body: {es, qu}}]}``; a body's first paragraph is what residents
  told us, the second what was done.

Loading them: server/demo/region_content.py (shared with Moquegua, server/demo/moquegua.py).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..plans.importer import import_projects
from ..plans.models import Plan
from ..plans.services import create_plan, get_plan
from ..surveys.services import get_survey, open_public_link, publish_definition
from ..users.models import User
from ..users.services import create_user
from .region_content import (
    add_actors,
    add_commitments,
    add_progress_history,
    add_public_updates,
    make_results_public,
)

log = logging.getLogger(__name__)

PLAN = "PDRC-CAJ-2030"
DEPARTMENT = "060000"
FEEDBACK = "caj-feedback"
COORDINATOR_EMAIL = "cajamarca@example.org"
COORDINATOR_NAME = "Coordinadora Cajamarca (demo)"


def _data(name: str) -> bytes:
    return resources.files("server.demo").joinpath("data", name).read_bytes()


def _json(name: str) -> Any:
    return json.loads(_data(name))


def plan_data() -> dict:
    return _json("plan_cajamarca.json")


def project_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_data("projects_cajamarca.csv").decode("utf-8"))))


def budgets() -> dict[str, Decimal]:
    """Project code -> budget in soles."""
    return {row["code"]: Decimal(row["budget_pen"]) for row in project_rows()}


def progress_history() -> dict[str, list[dict]]:
    return _json("progress_cajamarca.json")["progress"]


def actors() -> list[dict]:
    return _json("actors_cajamarca.json")["actors"]


def commitments() -> list[dict]:
    return _json("commitments_cajamarca.json")["commitments"]


def public_updates() -> list[dict]:
    return _json("updates_cajamarca.json")["updates"]


def feedback_definition(plan: Plan) -> dict:
    """The feedback form, its theme and project choices taken from the plan."""
    definition = _json("feedback_cajamarca.json")
    themes = [{"value": t.code, "label": dict(t.name)} for t in plan.themes]
    projects = [{"value": p.code, "label": {"es": p.name_es, "qu": p.name_qu},
                 "data": {"theme": p.theme.code}} for p in plan.projects]
    for page in definition["pages"]:
        for question in page["questions"]:
            if question.get("choices") == "plan themes":
                question["choices"] = themes
            elif question.get("choices") == "plan projects":
                question["choices"] = projects
    return definition


def load_cajamarca(password: str) -> bool:
    """Create the Cajamarca plan and its projects with their progress history, the feedback
    form (public link, results public), a coordinator limited to the department, the actors,
    their commitments and the coordinators' public updates, unless the plan exists. True if
    loaded."""
    if get_plan(PLAN) is not None:
        return False
    plan = create_plan(plan_data())
    import_projects(plan, _data("projects_cajamarca.csv"))
    publish_definition(FEEDBACK, feedback_definition(plan), for_promoters=False,
                       plan_id=plan.id)
    survey = get_survey(FEEDBACK)
    open_public_link(survey)
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR_EMAIL))
    if coordinator is None:
        coordinator = create_user(COORDINATOR_EMAIL, COORDINATOR_NAME, "coordinator", password,
                                  areas=[DEPARTMENT])
    projects = {p.code: p for p in plan.projects}
    add_progress_history(progress_history(), projects)
    add_commitments(commitments(), projects, add_actors(actors()), coordinator.id)
    add_public_updates(public_updates(), projects, coordinator.id)
    make_results_public(survey, coordinator.id)
    db.session.commit()
    log.info("Cajamarca demo content loaded")
    return True
