"""Builders shared by the tests."""

from __future__ import annotations

import uuid

# Debian's Chromium, quiet and sandbox-free, for the browser tests
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def household_item(**overrides) -> dict:
    """A valid submission of the demo household survey (version 1)."""
    answers = {
        "district": "180101", "community": "Anexo Yacango", "household_size": 4,
        "water_source": "network_home", "water_daily": "yes", "water_problems": ["none"],
        "knows_projects": "no", "rainy_road": "good", "health_minutes": 30,
        "activities": ["agriculture"], "consent": "no",
    }
    item = {
        "uuid": str(uuid.uuid4()), "survey": "moq-household", "version": 1,
        "answers": answers,
        "meta": {"language": "qu", "started_at": "2026-11-20T14:00:00-05:00",
                 "completed_at": "2026-11-20T14:20:00-05:00", "consent": True,
                 "location": {"lat": -17.19, "lon": -70.93, "accuracy": 12.0},
                 "app_version": "1.0.0"},
        "attachments": [],
    }
    for key, value in overrides.items():
        if key == "answers":
            item["answers"] = {**answers, **value}
        else:
            item[key] = value
    return item


def feedback_item(**overrides) -> dict:
    """A valid resident feedback (the demo's public form, version 1)."""
    item = {"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
            "answers": {"theme": "water", "district": "180301", "rating": 2,
                        "comment": "Yaku mana chayamunchu", "consent": "no"},
            "meta": {"language": "qu"}}
    item.update(overrides)
    return item
