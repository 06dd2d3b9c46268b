"""Schemas whose built-in error messages are translated (Spanish and Quechua)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields


def _invalid_message(field: fields.Field):
    if isinstance(field, fields.Integer):
        return _l("Enter a whole number.")
    if isinstance(field, fields.Number):
        return _l("Enter a number.")
    if isinstance(field, fields.Boolean):
        return _l("Enter true or false.")
    if isinstance(field, fields.DateTime):
        return _l("Enter a date and time with its time zone (ISO 8601).")
    if isinstance(field, fields.List):
        return _l("Enter a list.")
    if isinstance(field, fields.Dict):
        return _l("Enter an object.")
    if isinstance(field, fields.String):
        return _l("Enter text.")
    return _l("Not a valid value.")


def _translate_field(field: fields.Field) -> None:
    messages = {
        "required": _l("This field is required."),
        "null": _l("This field cannot be empty."),
        "validator_failed": _l("Not a valid value."),
        "invalid": _invalid_message(field),
        "invalid_uuid": _l("Enter a UUID."),
        "invalid_awareness": _l("Enter a date and time with its time zone (ISO 8601)."),
        "too_large": _l("This number is too large."),
        "type": _l("Enter an object."),
    }
    for key, message in messages.items():
        if key in field.error_messages:
            field.error_messages[key] = message
    inner = getattr(field, "inner", None) or getattr(field, "value_field", None)
    if isinstance(inner, fields.Field):
        _translate_field(inner)


class BaseSchema(Schema):
    error_messages = {"unknown": _l("Unknown field."), "type": _l("Enter an object.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _translate_field(field)
