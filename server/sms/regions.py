"""A keyword that several regions share (OPINION in Moquegua and in Cajamarca): the resident
first says where they live, by number, and the conversation goes on with that region's
survey. The conversation waits on the step REGION_STEP with the numbered surveys offered."""

from __future__ import annotations

import uuid

from ..extensions import db
from ..places.models import Place
from . import texts
from .conversation import _ask, _say, close, next_step, open_conversation
from .models import SmsContact, SmsConversation, SmsInbound
from .segments import cost, fold_to_gsm
from .surveys import load, survey_department

REGION_STEP = "__region__"


def _name(survey_id: int) -> str:
    ubigeo = survey_department(survey_id)
    place = db.session.get(Place, ubigeo) if ubigeo else None
    return place.name if place else str(survey_id)


def _question(conv: SmsConversation) -> str:
    lines = [f"{n} {_name(sid)}" for n, sid in conv.offered or []]
    return texts.in_language(conv.language, lambda: texts.which_region(lines))


def ask_region(conv: SmsConversation, lead: str | None = None) -> None:
    question = _question(conv)
    if lead and cost(fold_to_gsm(f"{lead}\n{question}")).segments == 1:
        _say(conv, f"{lead}\n{question}")
        return
    if lead:
        _say(conv, lead, "welcome")
    _say(conv, question)


def start_choice(contact: SmsContact, survey_ids: list[int], language: str,
                 msg: SmsInbound) -> None:
    """A shared keyword: open a conversation that first asks for the region."""
    open_ones = [sid for sid in survey_ids if load(sid) is not None]
    if not open_ones:
        return
    first = load(open_ones[0])
    previous = open_conversation(contact.number_hash)
    if previous is not None:
        close(previous, "abandoned")
    conv = SmsConversation(number_hash=contact.number_hash, survey_id=open_ones[0],
                           version_id=first.version.id, language=language, answers={},
                           submission_uuid=uuid.uuid4(), started_at=msg.received_at,
                           last_message_at=msg.received_at, step=REGION_STEP,
                           offered=[[n, sid] for n, sid in enumerate(open_ones, start=1)])
    db.session.add(conv)
    db.session.flush()
    msg.conversation_id = conv.id
    ask_region(conv, lead=texts.in_language(language, texts.welcome))


def choose_region(conv: SmsConversation, msg: SmsInbound) -> None:
    """The resident's answer to the region question: go on with that region's survey."""
    msg.conversation_id = conv.id
    conv.last_message_at = msg.received_at
    numbered = {n: sid for n, sid in conv.offered or []}
    reply = msg.text.strip()
    chosen = numbered.get(int(reply)) if reply.isdigit() and len(reply) < 4 else None
    if chosen is None:
        _say(conv, texts.in_language(conv.language, lambda: texts.choose_number(len(numbered))),
             "correction")
        return
    sms = load(chosen)
    if sms is None:
        close(conv, "abandoned")
        return
    conv.survey_id, conv.version_id, conv.offered = chosen, sms.version.id, None
    step = next_step(sms, None, {}, conv.language, msg.received_at)
    if step is None:
        close(conv, "abandoned")
        return
    conv.step = step.id
    _ask(conv, sms, step)
