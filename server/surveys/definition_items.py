"""Checks of one question of a definition: its type and the fields that type takes."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from .definition_checker import Checker
from .definition_choices import COLUMN_RE, check_choices, check_choices_from, check_media
from .definition_values import check_default
from .structure import Item

ANSWERED_TYPES = (
    "text", "integer", "decimal", "range", "select_one", "select_multiple", "date", "time",
    "datetime", "geopoint", "photo", "audio", "video", "file", "barcode", "acknowledge",
    "rating", "place",
)
TYPES = (*ANSWERED_TYPES, "note", "calculate", "hidden", "meta")
SELECT_TYPES = ("select_one", "select_multiple")
META_KINDS = ("start", "end", "today", "deviceid", "username", "phonenumber", "audit")
PARAMETER_TYPES = ("photo", "audio", "video", "file", "barcode", "geopoint")
DEPARTMENT_RE = re.compile(r"^\d{2}0000$")
OTHER = "other"

SHOWN = frozenset({"label", "hint", "appearance", "media"})
ANSWER_FIELDS = frozenset({"required", "required_message", "constraint", "constraint_message",
                           "calculation", "default", "read_only", "trigger", "personal",
                           "parameters"})
BY_TYPE = {
    "text": {"max_length"}, "integer": {"min", "max"}, "decimal": {"min", "max"},
    "place": {"department"},
    **{t: {"choices", "choice_filter", "choices_from", "or_other"} for t in SELECT_TYPES},
}
BASE = frozenset({"id", "type", "relevance"})
FIELDS = {
    "note": BASE | SHOWN,
    "calculate": BASE | {"label", "calculation", "trigger"},
    "hidden": BASE | {"label", "calculation", "default", "trigger"},
    "meta": frozenset({"id", "type", "label", "meta"}),
    **{t: BASE | SHOWN | ANSWER_FIELDS | BY_TYPE.get(t, set()) for t in ANSWERED_TYPES},
}
# fields whose misuse has its own, more helpful message
SPECIFIC = {"choices", "choice_filter", "choices_from", "or_other", "min", "max", "max_length",
            "department", "required", "personal"}
ALL_FIELDS = frozenset().union(*FIELDS.values())


def check_question(c: Checker, item: Item, total: list[int]) -> None:
    q, path, own = item.raw, item.path, item.id
    qtype = q.get("type")
    if qtype not in TYPES:
        c.add(f"{path}.type", _("Unknown type. Use one of: %(types)s.",
                                types=", ".join((*TYPES, "group", "repeat"))))
        c.unknown_keys(q, ALL_FIELDS, path)
        c.text(q.get("label"), f"{path}.label", required=False)
        if "relevance" in q:
            c.expression(q["relevance"], f"{path}.relevance", own)
        return
    allowed = FIELDS[qtype]
    c.unknown_keys(q, ALL_FIELDS, path)
    for key in sorted(set(q) & ALL_FIELDS - allowed - SPECIFIC):
        c.add(f"{path}.{key}", _("This field does not apply to %(type)s questions.",
                                 type=qtype))
    if qtype in ANSWERED_TYPES or qtype == "note":
        c.text(q.get("label"), f"{path}.label")
        c.text(q.get("hint"), f"{path}.hint", required=False)
    elif "label" in q:
        c.text(q["label"], f"{path}.label", required=False)
    if "relevance" in q:
        c.expression(q["relevance"], f"{path}.relevance", own)
    if "appearance" in q and not (isinstance(q["appearance"], str) and len(q["appearance"])
                                  <= 200):
        c.add(f"{path}.appearance", _("Must be text."))
    if "media" in q:
        check_media(c, q["media"], f"{path}.media")
    if qtype in ANSWERED_TYPES:
        _check_answered(c, item, qtype)
    elif qtype == "note" and "required" in q:
        c.add(f"{path}.required", _("A note has no answer, so it cannot be required."))
    elif qtype == "calculate" and "calculation" not in q:
        c.add(f"{path}.calculation", _("A calculate question needs a calculation."))
    elif qtype == "hidden" and "calculation" not in q and "default" not in q:
        c.warn(path, _("A hidden question without a default or a calculation stays empty."))
    elif qtype == "meta" and q.get("meta") not in META_KINDS:
        c.add(f"{path}.meta", _("Use one of: %(kinds)s.", kinds=", ".join(META_KINDS)))
    if "calculation" in q and qtype in FIELDS and "calculation" in allowed:
        # "." is the question's own value, which once() keeps
        c.expression(q["calculation"], f"{path}.calculation", own, allow_current=True)
    if "trigger" in q and "trigger" in allowed:
        _check_trigger(c, q, path)
    if "default" in q and "default" in allowed:
        check_default(c, q, qtype, f"{path}.default")
    if qtype in SELECT_TYPES:
        total[0] += _check_select(c, q, path)
    else:
        for key in ("choices", "choice_filter", "choices_from", "or_other"):
            if key in q:
                c.add(f"{path}.{key}", _("Only select questions have choices."))
    for flag in ("required", "personal"):
        if flag in q and qtype != "note" and flag not in allowed:
            c.add(f"{path}.{flag}", _("Only questions that take an answer can be %(flag)s.",
                                      flag=flag))
    _check_bounds(c, q, qtype, path)


def _check_answered(c: Checker, item: Item, qtype: str) -> None:
    q, path, own = item.raw, item.path, item.id
    if "required" in q:
        c.bool_or_expression(q["required"], f"{path}.required", own)
    c.text(q.get("required_message"), f"{path}.required_message", required=False)
    if "read_only" in q:
        c.bool_or_expression(q["read_only"], f"{path}.read_only", own)
    if "constraint" in q:
        c.expression(q["constraint"], f"{path}.constraint", own, allow_current=True)
        c.text(q.get("constraint_message"), f"{path}.constraint_message", required=False)
    elif "constraint_message" in q:
        c.warn(f"{path}.constraint_message", _("This message is never shown: there is no "
                                                 "constraint."))
    c.flag(q, "personal", path)
    if q.get("personal") is True:
        if "relevance" not in q:
            c.add(f"{path}.relevance",
                  _("Personal data must only be asked with consent: give a relevance."))
        if item.repeats:
            c.add(f"{path}.personal", _("Personal data cannot be asked inside a repeat: "
                                        "ask it outside the repeat, or leave it out."))
    if "parameters" in q:
        _check_parameters(c, q["parameters"], qtype, f"{path}.parameters")


def _check_trigger(c: Checker, q: dict, path: str) -> None:
    trigger = q["trigger"]
    if "calculation" not in q:
        c.add(f"{path}.trigger", _("A trigger only applies to a calculation."))
    elif not isinstance(trigger, str) or trigger not in c.answer_ids:
        c.add(f"{path}.trigger", c.unknown_reference(str(trigger)))
    elif trigger == q.get("id"):
        c.add(f"{path}.trigger", _("A question cannot depend on its own answer."))


def _check_parameters(c: Checker, params: Any, qtype: str, path: str) -> None:
    if not isinstance(params, dict):
        c.add(path, _("Must be an object."))
        return
    if qtype == "range":
        c.unknown_keys(params, {"start", "end", "step"}, path)
        values = {k: params.get(k, default) for k, default in
                  (("start", 1), ("end", 10), ("step", 1))}
        bad = [k for k, v in values.items() if not _is_number(v)]
        for key in bad:
            c.add(f"{path}.{key}", _("Must be a number."))
        if bad:
            return
        if values["step"] <= 0:
            c.add(f"{path}.step", _("The step must be more than 0."))
        elif values["start"] >= values["end"]:
            c.add(f"{path}.start", _("The start must be less than the end."))
        elif (values["end"] - values["start"]) / values["step"] > 100_000:
            c.add(f"{path}.step", _("Too many steps (at most 100000)."))
        return
    if qtype not in PARAMETER_TYPES:
        c.add(path, _("This field does not apply to %(type)s questions.", type=qtype))
        return
    for key, value in params.items():
        if not COLUMN_RE.fullmatch(str(key)) or not (value is None or isinstance(
                value, str | int | float | bool)):
            c.add(f"{path}.{key}", _("Use a name and a plain value (text or a number)."))


def _check_select(c: Checker, q: dict, path: str) -> int:
    """Returns how many choices the question lists."""
    has_list, has_file = "choices" in q, "choices_from" in q
    if has_list and has_file:
        c.add(f"{path}.choices_from", _("Give either choices or choices_from, not both."))
    columns: set[str] | None = None
    count = 0
    if has_file:
        columns = check_choices_from(c, q["choices_from"], f"{path}.choices_from")
    else:
        count, columns = check_choices(c, q.get("choices"), f"{path}.choices")
    c.flag(q, "or_other", path)
    if q.get("or_other") is True and has_list and isinstance(q["choices"], list) and any(
            isinstance(ch, dict) and ch.get("value") == OTHER for ch in q["choices"]):
        c.add(f"{path}.or_other", _("or_other adds the choice “other”: remove it from the "
                                    "choices."))
    if "choice_filter" in q:
        expr = c.expression(q["choice_filter"], f"{path}.choice_filter", q.get("id", ""),
                            choice_filter=True)
        if expr is not None and columns is not None:
            for column in sorted(set(getattr(expr, "columns", ())) - columns - {"name"}):
                c.add(f"{path}.choice_filter", _(
                    "The choices have no column “%(column)s”.", column=column))
    return count


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_bounds(c: Checker, q: dict, qtype: Any, path: str) -> None:
    for bound in ("min", "max"):
        if bound in q and (qtype not in ("integer", "decimal") or not _is_number(q[bound])):
            c.add(f"{path}.{bound}", _(
                "Only integer and decimal questions have a numeric %(bound)s.", bound=bound))
    if _is_number(q.get("min")) and _is_number(q.get("max")) and q["min"] > q["max"]:
        c.add(f"{path}.min", _("The minimum is larger than the maximum."))
    if "max_length" in q:
        ml = q["max_length"]
        if qtype != "text" or not isinstance(ml, int) or isinstance(ml, bool) \
                or not 1 <= ml <= 10000:
            c.add(f"{path}.max_length", _("Only text questions have a max_length (1 to 10000)."))
    if "department" in q:
        dep = q["department"]
        if qtype != "place" or not isinstance(dep, str) or not DEPARTMENT_RE.fullmatch(dep):
            c.add(f"{path}.department", _(
                "Only place questions have a department (a ubigeo like 180000)."))
