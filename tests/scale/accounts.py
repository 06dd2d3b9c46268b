"""Devices and console forms for the scale-out tests."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')
# small enough to reach in a test, counted across both app servers
PAIRING_LIMIT = 6


def paired_tokens(count: int, label: str = "phone") -> list[tuple[int, str]]:
    """(device id, token) of `count` freshly paired devices, straight through the services
    (the pairing endpoint's rate limit is tested on its own)."""
    from server.devices.services import enrol_device, pair

    made = []
    for index in range(count):
        enrolment = enrol_device(f"{label} {index}", f"Promotora {index}")
        device, token = pair(enrolment.code)
        made.append((device.id, token))
    return made


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, html[:500]
    return match.group(1) or match.group(2)
