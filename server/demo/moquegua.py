"""The first demo region's accountability content: who committed what on Moquegua's
projects (the regional government, Carumas's municipality, a mining company and the
irrigators on the Carumas canal), the progress history, the coordinators' public updates,
and the feedback form's results made public. The data files have Cajamarca's shapes
(server/demo/cajamarca.py): actors_moquegua.json, commitments_moquegua.json,
progress_moquegua.json, updates_moquegua.json. Demo content, invented; the company and
the irrigators' commission are fictional."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select

from ..commitments.models import Commitment
from ..extensions import db
from ..plans.services import get_plan
from ..surveys.services import get_survey
from .region_content import (
    add_actors,
    add_commitments,
    add_progress_history,
    add_public_updates,
    make_results_public,
)

PLAN = "PDRC-MOQ-2033"
FEEDBACK = "moq-feedback"
FIRST_COMMITMENT = "MOQ-C01"


def _json(name: str) -> Any:
    return json.loads(resources.files("server.demo").joinpath("data", name).read_bytes())


def load_moquegua_content(author_id: int | None) -> bool:
    """Add the content unless its first commitment exists (a demo made before it gains it at
    the next `willay setup`). True if added; the caller commits."""
    plan = get_plan(PLAN)
    if plan is None or db.session.scalar(
            select(Commitment.id).where(Commitment.code == FIRST_COMMITMENT)) is not None:
        return False
    projects = {p.code: p for p in plan.projects}
    add_progress_history(_json("progress_moquegua.json")["progress"], projects)
    actors = add_actors(_json("actors_moquegua.json")["actors"])
    add_commitments(_json("commitments_moquegua.json")["commitments"], projects, actors,
                    author_id)
    add_public_updates(_json("updates_moquegua.json")["updates"], projects, author_id)
    make_results_public(get_survey(FEEDBACK), author_id)
    return True
