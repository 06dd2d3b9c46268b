"""XLSForm question types and what becomes of them in a Willay survey."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

# XLSForm type -> Willay type
SIMPLE_TYPES = {
    "text": "text", "string": "text", "integer": "integer", "int": "integer",
    "decimal": "decimal", "date": "date", "geopoint": "geopoint", "gps": "geopoint",
    "location": "geopoint", "image": "photo", "photo": "photo", "audio": "audio",
    "note": "note",
    # Willay's own types, accepted in a spreadsheet too
    "rating": "rating", "place": "place",
}
# Willay records these itself with every submission (times, device, language, location).
METADATA_TYPES = frozenset({
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "imei", "instanceid",
})
GROUP_STARTS = frozenset({"begin group", "begin_group"})
GROUP_ENDS = frozenset({"end group", "end_group"})
REPEAT_STARTS = frozenset({"begin repeat", "begin_repeat"})
REPEAT_ENDS = frozenset({"end repeat", "end_repeat"})
SELECT_ALIASES = {"select_one": "select_one", "select one": "select_one",
                  "select1": "select_one", "select_multiple": "select_multiple",
                  "select multiple": "select_multiple"}


@dataclass(frozen=True)
class RowType:
    kind: str  # question, group_start, group_end, repeat_start, repeat_end, metadata, error
    willay_type: str = ""
    list_name: str = ""
    error: str = ""


def classify(raw: str) -> RowType:
    text = " ".join(raw.split())
    lowered = text.lower()
    if lowered in GROUP_STARTS:
        return RowType("group_start")
    if lowered in GROUP_ENDS:
        return RowType("group_end")
    if lowered in REPEAT_STARTS:
        return RowType("repeat_start", error=_(
            "Repeats (begin repeat) are not supported: a Willay survey asks each question "
            "once. Ask for a number and the details in a text, or split the form."))
    if lowered in REPEAT_ENDS:
        return RowType("repeat_end")
    if lowered in METADATA_TYPES:
        return RowType("metadata")
    if lowered in SIMPLE_TYPES:
        return RowType("question", SIMPLE_TYPES[lowered])
    for prefix, willay_type in SELECT_ALIASES.items():
        if lowered.startswith(prefix + " "):
            parts = text[len(prefix):].split()
            if len(parts) == 2 and parts[1].lower() == "or_other":
                return RowType("error", error=_(
                    "“or_other” is not supported: add a choice “other” and a text question "
                    "relevant when it is selected."))
            if len(parts) != 1:
                return RowType("error", error=_("Write the type as “%(type)s list_name”.",
                                                type=prefix))
            return RowType("question", willay_type, parts[0])
    if lowered in SELECT_ALIASES:
        return RowType("error", error=_("Give the name of the choice list after %(type)s.",
                                        type=text))
    if lowered.startswith(("select_one_from_file", "select_multiple_from_file")):
        return RowType("error", error=_("Choices from an external file are not supported: "
                                        "put the choices on the choices sheet."))
    return RowType("error", error=_(
        "The type “%(type)s” is not supported. Use one of: %(types)s.", type=text,
        types="text, integer, decimal, select_one, select_multiple, date, geopoint, image, "
              "audio, note, rating, place, begin group, end group"))
