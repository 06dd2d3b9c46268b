"""Load the demo once, into an empty database."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select

from ..devices.models import Device
from ..devices.services import Enrolment, enrol_device, new_pairing_code
from ..extensions import db
from ..plans.importer import import_projects
from ..plans.services import create_plan, get_plan
from ..surveys.services import get_survey, open_public_link, publish_definition
from ..users.models import User
from ..users.services import create_user
from .cajamarca import load_cajamarca
from .moquegua import load_moquegua_content

log = logging.getLogger(__name__)
DEMO_PLAN = "PDRC-MOQ-2033"
HOUSEHOLD = "moq-household"
FEEDBACK = "moq-feedback"
DEMO_EMAIL = "coordinador@example.org"
DEMO_PASSWORD = "willay-demo-2026"
DEMO_DEVICE = "Demo phone"


def _data(name: str) -> bytes:
    return resources.files("server.demo").joinpath("data", name).read_bytes()


@dataclass(frozen=True)
class DemoInfo:
    feedback_token: str
    enrolment: Enrolment | None
    email: str
    password: str


def load_demo() -> bool:
    """Create the demo plan, surveys and coordinator unless the plan exists, and the second
    region, Cajamarca, unless its plan exists (server/demo/cajamarca.py). True if loaded."""
    if get_plan(DEMO_PLAN) is not None:
        added = load_moquegua_content(_demo_admin_id())
        db.session.commit()
        loaded = load_cajamarca(DEMO_PASSWORD)
        open_demo_to_sms()
        return loaded or added
    plan = create_plan(json.loads(_data("plan_moquegua.json")))
    import_projects(plan, _data("projects_moquegua.csv"))
    publish_definition(HOUSEHOLD, json.loads(_data("household_survey.json")),
                       for_promoters=True, plan_id=plan.id)
    publish_definition(FEEDBACK, json.loads(_data("feedback_form.json")),
                       for_promoters=False, plan_id=plan.id)
    open_public_link(get_survey(FEEDBACK))
    if db.session.scalar(select(User).where(User.email == DEMO_EMAIL)) is None:
        create_user(DEMO_EMAIL, "Coordinadora demo", "admin", DEMO_PASSWORD)
    load_moquegua_content(_demo_admin_id())
    db.session.commit()
    log.info("demo content loaded")
    load_cajamarca(DEMO_PASSWORD)  # after Moquegua's, which keeps the first ids
    open_demo_to_sms()
    return True


def _demo_admin_id() -> int | None:
    return db.session.scalar(select(User.id).where(User.email == DEMO_EMAIL))


def open_demo_to_sms() -> list[str]:
    """Open the demo feedback forms to SMS with their keywords and SMS prompts
    (data/sms_demo.json), unless a coordinator already set SMS up for them; the codes of
    the surveys opened."""
    from ..sms.models import SmsSurveySettings
    from ..sms.surveys import KeywordTaken, NotForSms, configure

    opened = []
    for entry in json.loads(_data("sms_demo.json"))["surveys"]:
        survey = get_survey(entry["survey"])
        if survey is None or db.session.get(SmsSurveySettings, survey.id) is not None:
            continue
        try:
            configure(survey.id, True, entry["keywords"], entry["prompts"])
        except (KeywordTaken, NotForSms) as exc:  # a coordinator's survey has the keyword
            db.session.rollback()
            log.warning("demo survey %s not opened to SMS: %s", entry["survey"], exc)
            continue
        opened.append(entry["survey"])
    return opened


def demo_info() -> DemoInfo | None:
    """Links and a fresh pairing code for a newcomer; None when there is no demo."""
    feedback = get_survey(FEEDBACK)
    if feedback is None:
        return None
    waiting = db.session.scalar(select(Device).where(
        Device.label == DEMO_DEVICE, Device.token_hash.is_(None), Device.revoked_at.is_(None)))
    enrolment = new_pairing_code(waiting) if waiting else enrol_device(DEMO_DEVICE, "Demo")
    return DemoInfo(open_public_link(feedback), enrolment, DEMO_EMAIL, DEMO_PASSWORD)
