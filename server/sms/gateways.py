"""Which channel reads a webhook and which one sends: chosen by configuration."""

from __future__ import annotations

from flask import current_app

from .channel import Channel

CHANNELS = ("android", "generic")


def _kind(name: str) -> type[Channel] | None:
    # the gateway's client (and requests) load when an SMS first comes or goes, not at start
    if name == "android":
        from .android import AndroidGateway

        return AndroidGateway
    if name == "generic":
        from .generic import GenericProvider

        return GenericProvider
    return None


def channel(name: str) -> Channel | None:
    kind = _kind(name)
    return kind(current_app.config["WILLAY"]) if kind else None


def sender() -> Channel | None:
    """The configured sending channel, or None (messages then wait in the queue)."""
    return channel(current_app.config["WILLAY"]["SMS_SEND_CHANNEL"])
