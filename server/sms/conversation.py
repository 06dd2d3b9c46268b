"""A resident's conversation with one survey: ask a question, read the answer, correct or go
on; at the end the answers become an ordinary submission (channel "sms") through the same
ingest path as the API, and the receipt code goes back by SMS."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..api.auth import Client
from ..db_types import utcnow
from ..extensions import db
from ..peru import PERU_OFFSET
from ..submissions.ingest import ingest
from ..submissions.models import Submission
from . import texts
from .fit import Step
from .models import SmsContact, SmsConversation, SmsInbound
from .outbox import enqueue
from .questions import prompt, read_answer
from .segments import cost, fold_to_gsm
from .surveys import SmsSurvey, load

log = logging.getLogger(__name__)


def open_conversation(number_hash: str) -> SmsConversation | None:
    return db.session.scalars(
        select(SmsConversation).where(SmsConversation.number_hash == number_hash,
                                      SmsConversation.state == "open")
        .order_by(SmsConversation.id.desc()).limit(1)).first()


def _today(now: datetime) -> str:
    return (now.astimezone(UTC) + PERU_OFFSET).date().isoformat()


def _holds(step: Step, answers: dict, language: str, now: datetime) -> bool:
    if step.question.get("personal") and not step.conditions:
        return False  # never ask for personal data without its consent question
    return all(c.evaluate_bool(answers, None, _today(now), now=now, language=language)
               for c in step.conditions)


def next_step(sms: SmsSurvey, after: str | None, answers: dict, language: str,
              now: datetime) -> Step | None:
    ids = [s.id for s in sms.steps]
    start = ids.index(after) + 1 if after in ids else 0
    for step in sms.steps[start:]:
        if _holds(step, answers, language, now):
            return step
    return None


def _say(conv: SmsConversation, text: str, kind: str = "prompt") -> None:
    enqueue(conv.number_hash, text, kind, conversation_id=conv.id)


def _ask(conv: SmsConversation, sms: SmsSurvey, step: Step, lead: str | None = None) -> None:
    question = texts.in_language(conv.language, lambda: prompt(
        step, sms.compiled, conv.answers, conv.language, sms.prompts))
    if lead and cost(fold_to_gsm(f"{lead}\n{question}")).segments == 1:
        _say(conv, f"{lead}\n{question}")
        return
    if lead:
        _say(conv, lead, "welcome")
    _say(conv, question)


def start(contact: SmsContact, survey_id: int, language: str, msg: SmsInbound) -> None:
    """A survey keyword: a new conversation (one still open for this number is closed and
    kept as a partial)."""
    sms = load(survey_id)
    if sms is None:
        return
    previous = open_conversation(contact.number_hash)
    if previous is not None:
        close(previous, "abandoned")
    conv = SmsConversation(number_hash=contact.number_hash, survey_id=survey_id,
                           version_id=sms.version.id, language=language, answers={},
                           submission_uuid=uuid.uuid4(), started_at=msg.received_at,
                           last_message_at=msg.received_at)
    db.session.add(conv)
    db.session.flush()
    msg.conversation_id = conv.id
    step = next_step(sms, None, {}, language, msg.received_at)
    if step is None:
        close(conv, "abandoned")
        return
    conv.step = step.id
    _ask(conv, sms, step, lead=texts.in_language(language, texts.welcome))


def repeat_question(conv: SmsConversation) -> None:
    """Ask the current question again (after a change of language)."""
    sms = load(conv.survey_id, conv.version_id)
    step = next((s for s in sms.steps if s.id == conv.step), None) if sms else None
    if step is not None:
        conv.offered = None
        _ask(conv, sms, step)


def answer(conv: SmsConversation, msg: SmsInbound) -> None:
    sms = load(conv.survey_id, conv.version_id)
    msg.conversation_id = conv.id
    conv.last_message_at = msg.received_at
    if sms is None:
        close(conv, "abandoned")
        return
    if conv.step is None:  # all answered, the submission was not stored yet: try again
        finish(conv, sms, msg.received_at)
        return
    step = next((s for s in sms.steps if s.id == conv.step), None)
    if step is None:
        close(conv, "abandoned")
        return
    reading = texts.in_language(conv.language, lambda: read_answer(
        step, sms.compiled, msg.text, conv.answers, conv.language, conv.offered,
        msg.received_at))
    if reading.correction is not None:
        conv.offered = [list(pair) for pair in reading.offered] or conv.offered
        _say(conv, reading.correction, "correction")
        return
    answers = dict(conv.answers)
    if not reading.skipped:
        answers[step.id] = reading.value
    conv.answers, conv.offered = answers, None
    following = next_step(sms, step.id, answers, conv.language, msg.received_at)
    if following is None:
        conv.step = None
        finish(conv, sms, msg.received_at)
        return
    conv.step = following.id
    _ask(conv, sms, following)


def _item(conv: SmsConversation, sms: SmsSurvey, completed: datetime) -> dict:
    return {"uuid": str(conv.submission_uuid), "survey": sms.survey.code,
            "version": sms.version.number, "answers": conv.answers,
            "meta": {"language": conv.language, "started_at": conv.started_at.isoformat(),
                     "completed_at": max(completed, conv.started_at).isoformat(),
                     "app_version": "sms"}}


def finish(conv: SmsConversation, sms: SmsSurvey, completed: datetime) -> None:
    """Store the submission through the API's ingest (idempotent on the conversation's UUID,
    so a retry after a crash finds the same receipt), then send the receipt."""
    db.session.commit()  # the answers are safe before ingest commits on its own
    number_hash, conv_id, language = conv.number_hash, conv.id, conv.language
    outcome = texts.in_language(language, lambda: ingest(
        Client("sms", survey=sms.survey), [_item(conv, sms, completed)], language)[0])
    conv = db.session.get(SmsConversation, conv_id)
    # read back by UUID: a retry after a crash is a "duplicate", which may carry no receipt
    receipt = db.session.scalar(select(Submission.receipt_code).where(
        Submission.uuid == conv.submission_uuid, Submission.channel == "sms"))
    if outcome.outcome in ("stored", "duplicate") and receipt:
        conv.receipt_code = receipt
        close(conv, "finished")
        conv.answers = {}  # they live in the submission now (personal ones kept apart)
        enqueue(number_hash, texts.in_language(language, lambda: texts.thanks(receipt)),
                "receipt", conversation_id=conv_id)
        return
    log.warning("SMS conversation %s not stored: %s %s", conv_id, outcome.outcome,
                outcome.errors)
    close(conv, "abandoned")
    enqueue(number_hash, texts.in_language(language, texts.not_saved), "error",
            conversation_id=conv_id)


def close(conv: SmsConversation, state: str) -> None:
    conv.state = state
    conv.closed_at = utcnow()
    conv.partial = state != "finished" and bool(conv.answers)
    conv.offered = None


def close_abandoned(hours: int) -> int:
    """Close conversations silent for `hours`; their answers stay, marked partial."""
    limit = utcnow() - timedelta(hours=hours)
    stale = list(db.session.scalars(select(SmsConversation).where(
        SmsConversation.state == "open", SmsConversation.last_message_at < limit)))
    for conv in stale:
        close(conv, "abandoned")
    if stale:
        db.session.commit()
    return len(stale)
