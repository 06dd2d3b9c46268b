"""Creating and editing actors, commitments and their dated progress updates. Each change
is committed together with its audit event; area limits are checked here."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..audit.services import record
from ..extensions import db
from ..places.models import Place
from ..plans.models import Project
from .areas import actor_allowed, project_allowed, require
from .errors import FieldError
from .evidence import store_evidence
from .models import Actor, Commitment, CommitmentUpdate
from .status import peru_today
from .tx import commit

ACTOR_FIELDS = ("type", "name_es", "name_qu", "description_es", "description_qu",
                "place_ubigeo", "website")
COMMITMENT_FIELDS = ("actor_id", "what_es", "what_qu", "amount_pen", "due_date", "status",
                     "fulfilled_on")


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _apply(target: Any, values: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """Set the attributes; the names of those that changed."""
    changed = []
    for name in names:
        if name in values and getattr(target, name) != values[name]:
            setattr(target, name, values[name])
            changed.append(name)
    return changed



def get_actor(code: str) -> Actor | None:
    return db.session.scalar(select(Actor).where(Actor.code == code)) if len(code) <= 40 else None


def get_commitment(code: str) -> Commitment | None:
    if len(code) > 40:
        return None
    return db.session.scalar(select(Commitment).where(Commitment.code == code))


def _actor_values(data: dict[str, Any]) -> dict[str, Any]:
    place = data.get("place")
    if place and db.session.get(Place, place) is None:
        raise FieldError("place", _("Choose a place from the list."))
    values = {name: _clean(data.get(name, "")) for name in ACTOR_FIELDS[:5]}
    values["place_ubigeo"] = place or None
    values["website"] = _clean(data.get("website")) or None
    return values


def create_actor(data: dict[str, Any], user: Any, areas: tuple[str, ...]) -> Actor:
    values = _actor_values(data)
    require(actor_allowed(None, areas, values["place_ubigeo"]))
    code = data["code"].strip()
    if get_actor(code) is not None:
        raise FieldError("code", _("An actor with this code already exists."))
    actor = Actor(code=code, **values)
    db.session.add(actor)
    record("actor_create", user=user, target=code, details={"type": actor.type})
    commit(_("An actor with this code already exists."))
    return actor


def update_actor(actor: Actor, data: dict[str, Any], user: Any,
                 areas: tuple[str, ...]) -> list[str]:
    require(actor_allowed(actor, areas))
    values = _actor_values(data)
    require(actor_allowed(None, areas, values["place_ubigeo"]))
    changed = _apply(actor, values, ACTOR_FIELDS)
    if changed:
        record("actor_update", user=user, target=actor.code, details={"changed": changed})
        commit()
    return changed


def _commitment_values(data: dict[str, Any]) -> dict[str, Any]:
    actor = get_actor(data["actor"].strip())
    if actor is None:
        raise FieldError("actor", _("Choose an actor from the list."))
    status = data.get("status") or "pending"
    fulfilled_on = data.get("fulfilled_on")
    if status == "fulfilled" and fulfilled_on is None:
        fulfilled_on = peru_today()
    if status != "fulfilled":
        fulfilled_on = None
    return {"actor_id": actor.id, "what_es": _clean(data["what_es"]),
            "what_qu": _clean(data.get("what_qu", "")), "amount_pen": data.get("amount_pen"),
            "due_date": data.get("due_date"), "status": status, "fulfilled_on": fulfilled_on}


def create_commitment(project: Project, data: dict[str, Any], user: Any,
                      areas: tuple[str, ...]) -> Commitment:
    require(project_allowed(project, areas))
    values = _commitment_values(data)
    code = data["code"].strip()
    if get_commitment(code) is not None:
        raise FieldError("code", _("A commitment with this code already exists."))
    commitment = Commitment(code=code, project_id=project.id, **values)
    db.session.add(commitment)
    record("commitment_create", user=user, target=code, details={
        "project": project.code, "status": values["status"]})
    commit(_("A commitment with this code already exists."))
    return commitment


def commitment_project(commitment: Commitment) -> Project:
    return db.session.get(Project, commitment.project_id)


def update_commitment(commitment: Commitment, data: dict[str, Any], user: Any,
                      areas: tuple[str, ...]) -> list[str]:
    require(project_allowed(commitment_project(commitment), areas))
    before = commitment.status
    changed = _apply(commitment, _commitment_values(data), COMMITMENT_FIELDS)
    if changed:
        details: dict[str, Any] = {"changed": changed}
        if "status" in changed:
            details["status"] = [before, commitment.status]
        record("commitment_update", user=user, target=commitment.code, details=details)
        commit()
    return changed


def add_update(commitment: Commitment, data: dict[str, Any], upload: FileStorage | None,
               user: Any, areas: tuple[str, ...]) -> CommitmentUpdate:
    """A dated progress update, with an evidence file and/or a link."""
    require(project_allowed(commitment_project(commitment), areas))
    stored = store_evidence(upload) if upload is not None and upload.filename else None
    update = CommitmentUpdate(
        commitment=commitment, on_date=data["on_date"], text_es=_clean(data["text_es"]),
        text_qu=_clean(data.get("text_qu", "")),
        evidence_url=_clean(data.get("evidence_url")) or None,
        created_by_id=getattr(user, "id", None))
    if stored is not None:
        update.evidence_sha256 = stored.sha256
        update.evidence_name = stored.name
        update.evidence_type = stored.content_type
    db.session.add(update)
    record("commitment_progress", user=user, target=commitment.code, details={
        "date": update.on_date.isoformat(), "file": bool(update.evidence_sha256),
        "link": bool(update.evidence_url)})
    commit()
    return update


def delete_commitment(commitment: Commitment, user: Any, areas: tuple[str, ...]) -> None:
    """A commitment entered by mistake goes with its updates (a real one that will not be
    kept is marked "dropped" instead). Evidence files are left to the media clean-up."""
    project = commitment_project(commitment)
    require(project_allowed(project, areas))
    record("commitment_delete", user=user, target=commitment.code, details={
        "project": project.code, "updates": len(commitment.updates)})
    db.session.delete(commitment)
    commit()


def delete_update(update: CommitmentUpdate, user: Any, areas: tuple[str, ...]) -> None:
    commitment = update.commitment
    require(project_allowed(commitment_project(commitment), areas))
    record("commitment_progress_delete", user=user, target=commitment.code,
           details={"date": update.on_date.isoformat()})
    db.session.delete(update)
    commit()


def delete_actor(actor: Actor, user: Any, areas: tuple[str, ...]) -> None:
    """Only an actor without commitments (the page says so)."""
    require(actor_allowed(actor, areas))
    if actor.commitments:
        raise FieldError("_form", _("This actor has commitments: delete or move them first."))
    record("actor_delete", user=user, target=actor.code)
    db.session.delete(actor)
    commit()
