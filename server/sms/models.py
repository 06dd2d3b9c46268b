"""SMS tables. A phone number is personal data: rows are keyed by its HMAC (phones.py); the
number itself lives only in `sms_contacts`, apart, never exported."""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db

CONVERSATION_STATES = ("open", "finished", "abandoned", "opted_out")
INBOUND_STATES = ("pending", "processed", "late", "limited", "ignored")
OUTGOING_STATES = ("queued", "sending", "sent", "failed")


class SmsContact(db.Model):
    """One phone number: its language, opt-out and block. The only place the number is kept."""

    __tablename__ = "sms_contacts"

    number_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(2))
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # bumped by every message handled: the UPDATE that serialises one number's messages
    turns: Mapped[int] = mapped_column(Integer, default=0)


class SmsSurveySettings(db.Model):
    """Per survey: whether residents can answer it by SMS, its keywords and shorter prompts."""

    __tablename__ = "sms_survey_settings"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # {"OPINION": "es", "RIMAY": "qu"}: a keyword starts the survey, in that language
    keywords: Mapped[dict] = mapped_column(PortableJSON, default=dict)
    # {"<question id>": {"es": "...", "qu": "..."}}: a prompt written for SMS
    prompts: Mapped[dict] = mapped_column(PortableJSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SmsConversation(db.Model):
    __tablename__ = "sms_conversations"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'finished', 'abandoned', 'opted_out')",
                        name="state"),
        Index("ix_sms_conversations_number_state", "number_hash", "state"),
        Index("ix_sms_conversations_state_last", "state", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number_hash: Mapped[str] = mapped_column(ForeignKey("sms_contacts.number_hash"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    language: Mapped[str] = mapped_column(String(2))
    step: Mapped[str | None] = mapped_column(String(64))  # the question asked last
    answers: Mapped[dict] = mapped_column(PortableJSON, default=dict)
    # choices offered for the current step beyond the survey's own (districts by name)
    offered: Mapped[list | None] = mapped_column(PortableJSON)
    state: Mapped[str] = mapped_column(String(10), default="open")
    # abandoned with answers: kept as a partial, never submitted as complete
    partial: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    submission_uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True)
    receipt_code: Mapped[str | None] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # when the resident's phone received their latest applied message (the gateway's time)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SmsInbound(db.Model):
    """Every incoming message, once: (channel, external id) is the idempotency key."""

    __tablename__ = "sms_inbound"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        CheckConstraint("status IN ('pending', 'processed', 'late', 'limited', 'ignored')",
                        name="status"),
        Index("ix_sms_inbound_number_status", "number_hash", "status"),
        Index("ix_sms_inbound_arrived", "arrived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    number_hash: Mapped[str] = mapped_column(ForeignKey("sms_contacts.number_hash"))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # on the gateway phone
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # here
    status: Mapped[str] = mapped_column(String(10), default="pending")
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_conversations.id", ondelete="SET NULL"), index=True)


class SmsOutgoing(db.Model):
    """The durable outgoing queue: retried with backoff until sent or out of attempts."""

    __tablename__ = "sms_outgoing"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_sms_outgoing_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # sent as the gateway's message id, so a resend after a lost answer is recognised
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True, default=uuid_module.uuid4)
    number_hash: Mapped[str] = mapped_column(ForeignKey("sms_contacts.number_hash"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_conversations.id", ondelete="SET NULL"), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # prompt, receipt, reply, status, help…
    text: Mapped[str] = mapped_column(Text)
    segments: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(300))
    gateway_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
