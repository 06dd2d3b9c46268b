"""Words the console shows for the SMS queue's kinds and states, and the two languages, in
the coordinator's language (never the raw codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "welcome": _l("welcome message"), "prompt": _l("question"),
    "correction": _l("correction of an answer"), "receipt": _l("receipt message"),
    "reply": _l("coordinators' reply"), "status": _l("status message"),
    "help": _l("help message"), "stop": _l("opt-out confirmation"),
    "error": _l("error message"), "test": _l("test message"),
}
STATES = {
    # incoming
    "pending": _l("not handled yet"), "late": _l("arrived late, not applied"),
    "limited": _l("over the rate limit, not answered"),
    "ignored": _l("ignored (opted out or blocked)"),
    # outgoing
    "queued": _l("waiting to send"), "sending": _l("sending"), "failed": _l("not sent"),
}
QUIET_STATES = ("processed", "sent")  # the normal outcome: nothing to say
# each language by its own name, as on the language buttons
LANGUAGE_NAMES = {"es": "Español", "qu": "Runasimi"}


def kind_label(kind: str) -> str:
    return str(KINDS[kind]) if kind in KINDS else kind


def state_label(state: str) -> str:
    return "" if state in QUIET_STATES else str(STATES.get(state, state))


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
