"""Incoming SMS: recorded once (idempotent on the gateway's id), then handled in the order the
phone received them, one number at a time, under that number's row lock."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..codes import normalize_code
from ..db_types import utcnow
from ..extensions import db
from ..submissions.receipts import find_receipt
from . import texts
from .channel import IncomingSms
from .conversation import answer, close, open_conversation, repeat_question, start
from .models import SmsContact, SmsInbound
from .outbox import enqueue
from .phones import normalize_number, number_hash
from .regions import REGION_STEP, ask_region, choose_region, start_choice
from .surveys import keyword_map, keyword_surveys

log = logging.getLogger(__name__)


def ensure_contact(digest: str, number: str) -> None:
    if db.session.get(SmsContact, digest) is not None:
        return
    db.session.add(SmsContact(number_hash=digest, number=number))
    try:
        db.session.commit()
    except IntegrityError:  # the same number's other message got here first
        db.session.rollback()


def record(channel: str, sms: IncomingSms) -> tuple[str, str | None]:
    """('stored' | 'duplicate' | 'ignored', the number's hash)."""
    number = normalize_number(sms.number)
    if number is None:
        log.info("SMS from an unusable sender ignored")
        return "ignored", None
    digest = number_hash(number)
    ensure_contact(digest, number)
    db.session.add(SmsInbound(channel=channel, external_id=sms.external_id,
                              number_hash=digest, text=sms.text[:2000],
                              received_at=sms.received_at))
    try:
        db.session.commit()
    except IntegrityError:  # the gateway retried a message we already have
        db.session.rollback()
        return "duplicate", digest
    return "stored", digest


def _over_limits(digest: str) -> bool:
    settings, now = current_app.config["WILLAY"], utcnow()
    mine = db.session.scalar(select(func.count()).select_from(SmsInbound).where(
        SmsInbound.number_hash == digest, SmsInbound.arrived_at > now - timedelta(hours=1),
        SmsInbound.status != "limited"))
    if mine > settings["SMS_LIMIT_PER_NUMBER_HOUR"]:
        return True
    everyone = db.session.scalar(select(func.count()).select_from(SmsInbound).where(
        SmsInbound.arrived_at > now - timedelta(minutes=1), SmsInbound.status != "limited"))
    return everyone > settings["SMS_LIMIT_GLOBAL_MINUTE"]


def process_number(digest: str) -> None:
    """Handle this number's pending messages, oldest first. The UPDATE takes the number's
    row lock (PostgreSQL) or the write lock (SQLite) before anything is read."""
    db.session.execute(update(SmsContact).where(SmsContact.number_hash == digest)
                       .values(turns=SmsContact.turns + 1, last_seen_at=utcnow()))
    contact = db.session.get(SmsContact, digest, populate_existing=True)
    pending = list(db.session.scalars(
        select(SmsInbound).where(SmsInbound.number_hash == digest,
                                 SmsInbound.status == "pending")
        .order_by(SmsInbound.received_at, SmsInbound.id)))
    for msg in pending:
        if msg.status == "pending":
            _handle(contact, msg)
            if msg.status == "pending":
                msg.status = "processed"
    db.session.commit()


def _language_of(contact: SmsContact, text: str, keyword_language: str | None) -> str:
    return keyword_language or contact.language or texts.guess_language(text) or "es"


def _help(contact: SmsContact, language: str) -> None:
    words = sorted(k for k, (_sid, lang) in keyword_map().items() if lang in (None, language))
    listed = "/".join(words[:3]) or "OPINION"
    enqueue(contact.number_hash, texts.in_language(language, lambda: texts.help_text(listed)),
            "help")


def _status(contact: SmsContact, language: str, rest: list[str]) -> None:
    code = normalize_code("".join(rest))
    view = texts.in_language(language, lambda: find_receipt(code, language)) if code else None
    if view is None:
        enqueue(contact.number_hash, texts.in_language(language, texts.receipt_unknown),
                "status")
        return
    enqueue(contact.number_hash, texts.in_language(language, lambda: texts.status_line(
        view.receipt, view.status_label)), "status")
    if view.response:
        enqueue(contact.number_hash, texts.in_language(language, lambda: texts.reply_text(
            view.receipt, view.response["text"])), "reply")


def _opt_out(contact: SmsContact, msg: SmsInbound, language: str) -> None:
    conv = open_conversation(contact.number_hash)
    if conv is not None:
        msg.conversation_id = conv.id
        close(conv, "opted_out")
    if contact.opted_out_at is None:
        contact.opted_out_at = utcnow()
        enqueue(contact.number_hash, texts.in_language(language, texts.stopped), "stop")


def _handle(contact: SmsContact, msg: SmsInbound) -> None:
    words = texts.words(msg.text)
    first = words[0] if words else ""
    starts = keyword_surveys().get(first, [])
    survey_id, keyword_language = starts[0] if starts else (None, None)
    language = _language_of(contact, msg.text, keyword_language)
    if contact.blocked_at is not None:
        msg.status = "ignored"
        return
    if first in texts.STOP_WORDS:  # honoured always, even late or over the limits
        _opt_out(contact, msg, contact.language or language)
        return
    if contact.opted_out_at is not None:
        if first not in texts.START_WORDS and survey_id is None:
            msg.status = "ignored"
            return
        contact.opted_out_at = None  # the resident wrote to us again: recorded by the message
        if survey_id is None:
            enqueue(contact.number_hash, texts.in_language(language, texts.restarted), "help")
            return
    if _over_limits(contact.number_hash):
        msg.status = "limited"
        return
    conv = open_conversation(contact.number_hash)
    if conv is not None and msg.received_at < conv.last_message_at:
        msg.status, msg.conversation_id = "late", conv.id  # kept, not applied: see docs
        return
    if first in texts.LANGUAGE_WORDS and len(words) == 1:
        contact.language = texts.LANGUAGE_WORDS[first]
        if conv is not None:
            conv.language, conv.last_message_at = contact.language, msg.received_at
            msg.conversation_id = conv.id
            if conv.step == REGION_STEP:
                ask_region(conv)
            else:
                repeat_question(conv)
        else:
            _help(contact, contact.language)
        return
    if survey_id is not None:
        contact.language = language
        if len(starts) > 1:  # regions share the keyword: ask where first
            start_choice(contact, [sid for sid, _lang in starts], language, msg)
        else:
            start(contact, survey_id, language, msg)
        return
    if first in texts.HELP_WORDS and len(words) == 1:
        _help(contact, contact.language or language)
        return
    if first in texts.STATUS_WORDS and len(words) > 1:
        _status(contact, contact.language or language, words[1:])
        return
    if conv is not None and conv.step == REGION_STEP:
        choose_region(conv, msg)
        return
    if conv is not None:
        answer(conv, msg)
        return
    contact.language = contact.language or language
    _help(contact, contact.language)
