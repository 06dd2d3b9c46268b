"""Which channel reads a webhook and which one sends: chosen by configuration."""

from __future__ import annotations

from flask import current_app

from .android import AndroidGateway
from .channel import Channel
from .generic import GenericProvider

CHANNELS = {"android": AndroidGateway, "generic": GenericProvider}


def channel(name: str) -> Channel | None:
    kind = CHANNELS.get(name)
    return kind(current_app.config["WILLAY"]) if kind else None


def sender() -> Channel | None:
    """The configured sending channel, or None (messages then wait in the queue)."""
    return channel(current_app.config["WILLAY"]["SMS_SEND_CHANNEL"])
