"""The audit log in words: every action the code records, its detail keys and their coded
values, in the console's language. tests/console/test_audit_words.py finds every
`record("...")` in the code and fails when one has no label here."""

from __future__ import annotations

from flask_babel import gettext as _

from ..review.filter_options import FIELD_LABELS
from ..review.labels import LANGUAGE_LABELS, STATUS_LABELS


def action_labels() -> dict[str, str]:
    """Known actions in plain words; an unknown one is shown by its code."""
    return {
        "sign_in": _("Signed in"),
        "sign_in_failed": _("Failed sign-in"),
        "sign_out": _("Signed out"),
        "user_create": _("Account created"),
        "user_update": _("Account changed"),
        "device_enrol": _("Device enrolled"),
        "device_revoke": _("Device revoked"),
        "survey_draft": _("Survey draft saved"),
        "survey_publish": _("Survey published"),
        "survey_link": _("Public link changed"),
        "survey_assign": _("Survey assigned to devices"),
        "survey_file": _("Survey file changed"),
        "survey_prompt": _("Audio prompt changed"),
        "review": _("Review"),
        "reply": _("Reply to a resident"),
        "conflict_resolve": _("Conflict resolved"),
        "export": _("Export"),
        "export_started": _("Export started"),
        "export_download": _("Export downloaded"),
        "sms_block": _("SMS number blocked"),
        "sms_unblock": _("SMS number unblocked"),
        "media_cleanup": _("Media clean-up"),
        "media_migrate": _("Media moved to another storage"),
        "plan_import": _("Projects imported"),
        "plan_create": _("Plan created"),
        "plan_update": _("Plan changed"),
        "theme_create": _("Theme created"),
        "theme_update": _("Theme changed"),
        "project_create": _("Project created"),
        "project_update": _("Project changed"),
        "project_progress": _("Progress reported"),
        "project_progress_delete": _("Progress report deleted"),
        "actor_create": _("Actor created"),
        "actor_update": _("Actor changed"),
        "actor_delete": _("Actor deleted"),
        "commitment_create": _("Commitment created"),
        "commitment_update": _("Commitment changed"),
        "commitment_delete": _("Commitment deleted"),
        "commitment_progress": _("Commitment progress added"),
        "commitment_progress_delete": _("Commitment progress deleted"),
        "commitment_import": _("Commitments imported"),
        "survey_made_public": _("Survey results made public"),
        "survey_made_private": _("Survey results made private"),
        "text_made_publishable": _("Answer allowed to be quoted"),
        "text_made_private": _("Answer no longer quoted"),
        "public_update_created": _("Public update written"),
        "public_update_updated": _("Public update changed"),
        "public_update_deleted": _("Public update deleted"),
    }


def detail_labels() -> dict[str, str]:
    """Detail keys in words; an unknown key is shown as it is."""
    return {
        "name": _("Name"), "role": _("Role"), "active": _("Active"), "areas": _("Areas"),
        "password": _("Password changed"), "label": _("Device"), "promoter": _("Promoter"),
        "new_code": _("New pairing code"), "previous_state": _("State before"),
        "version": _("Version"), "from_version": _("Copied from version"),
        "submission": _("Submission number"), "conflict": _("Conflict number"),
        "from": _("State before"), "to": _("New state"), "status": _("Status"),
        "comment": _("Comment"), "note": _("Note"), "decision": _("Decision"),
        "languages": _("Languages"), "language": _("Language"), "reply": _("Reply"),
        "action": _("What changed"), "devices": _("Devices"), "question": _("Question"),
        "choice": _("Answer option"), "file": _("File"), "job": _("Export number"),
        "rows": _("Rows"), "repeat_rows": _("Rows of each repeat"),
        "personal": _("Personal data"), "format": _("Format"), "labels": _("Labels"),
        "filters": _("Filters"), "media": _("Photos and recordings"),
        "completed": _("Completed"), "created": _("Created"), "updated": _("Updated"),
        "removed": _("Files removed"), "moved": _("Files moved"), "bytes": _("Size"),
        "checked": _("Files checked"), "grace_days": _("Days kept"),
        "dry_run": _("Trial run only"), "source": _("Source"), "destination": _("Destination"),
        "code": _("Code"), "title": _("Title"), "name_es": _("Name in Spanish"),
        "name_qu": _("Name in Quechua"), "plan": _("Plan"), "theme": _("Theme"),
        "project": _("Project"), "actor": _("Actor"), "kind": _("Type"),
        "amount_pen": _("Amount (PEN)"), "due_date": _("Due date"), "date": _("Date"),
        "progress_pct": _("Progress (%)"), "url": _("Link"), "evidence": _("Evidence"),
        "count": _("Count"), "errors": _("Errors"), "public": _("Public"),
        "answers": _("Receipts answered"), "changed": _("Fields changed"),
        "department": _("Department"), "link": _("Link"), "progress": _("Progress (%)"),
        "survey": _("Survey"), "type": _("Type"), "update": _("Update number"),
        "updates": _("Progress updates"),
        "description_es": _("Description in Spanish"),
        "description_qu": _("Description in Quechua"), "place_ubigeo": _("Place"),
        "website": _("Website"), "actor_id": _("Actor"), "what_es": _("Commitment in Spanish"),
        "what_qu": _("Commitment in Quechua"), "fulfilled_on": _("Fulfilled on"),
        "department_ubigeo": _("Department"), "period": _("Period"),
        "responsible": _("Responsible"), "theme_id": _("Theme"), "districts": _("Districts"),
        "total": _("Files in all"), "copied": _("Files copied"),
        "already": _("Files already there"), "damaged": _("Damaged files"),
        "failed": _("Files that failed"), "verify_existing": _("Copies checked again"),
    }


def value_labels() -> dict[str, dict[str, str]]:
    """Coded values of some keys, in words (roles and device states come from their pages)."""
    statuses = {code: str(label) for code, label in STATUS_LABELS.items()}
    languages = {code: str(label) for code, label in LANGUAGE_LABELS.items()}
    return {
        "from": statuses, "to": statuses, "status": statuses,
        "languages": languages, "language": languages, "reply": languages,
        "decision": {"keep_stored": _("Kept the stored answers")},
        "action": {"open": _("Link opened"), "close": _("Link closed"),
                   "renew": _("New link"), "upload": _("File uploaded"),
                   "replace": _("File replaced"), "remove": _("File removed")},
        "filters": {key: str(label) for key, label in FIELD_LABELS.items()},
        "changed": {key: str(label) for key, label in detail_labels().items()},
    }


def size_text(count: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"
