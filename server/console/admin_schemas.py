"""Form and query-string schemas for the admin pages: users, devices, audit log.

Messages are translated at validation time; pages show them beside their fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from ..api.errors import translate_errors
from ..api.schema_base import BaseSchema
from ..submissions.filters import MAX_ID, PLAUSIBLE_DATE
from ..users.models import ROLES
from ..users.services import MIN_PASSWORD

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UBIGEO = re.compile(r"^\d{6}$")


def _email(value: str) -> None:
    if not _EMAIL.fullmatch(value.strip()):
        raise ValidationError(_("Enter an e-mail address like name@example.org."))


def _password(value: str) -> None:
    if len(value) < MIN_PASSWORD:
        raise ValidationError(ngettext("Use at least %(min)s character.",
                                       "Use at least %(min)s characters.", MIN_PASSWORD,
                                       min=MIN_PASSWORD))


def _text(max_length: int, required: bool = True) -> validate.Validator:
    def check(value: str) -> None:
        if required and not value.strip():
            raise ValidationError(_("This field is required."))
        if len(value) > max_length:
            raise ValidationError(ngettext("Use at most %(max)s character.",
                                           "Use at most %(max)s characters.", max_length,
                                           max=max_length))
    return check


def _ubigeos(values: list[str]) -> None:
    if any(not _UBIGEO.fullmatch(v) for v in values):
        raise ValidationError(_("Choose departments or provinces from the list."))


class FormSchema(BaseSchema):
    """Browser forms carry extra keys (the CSRF token, buttons): ignore them."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, fields.Date):
                field.error_messages["invalid"] = _l("Enter a date.")
            if isinstance(field, fields.Integer):
                field.error_messages["invalid"] = _l("Enter a whole number.")

    def load_form(self, form: MultiDict, lists: Iterable[str] = ()) -> tuple[dict, dict]:
        """(data, {}) or ({}, {field: [translated messages]}). An empty input counts as not
        given (a browser sends every input, filled or not)."""
        raw: dict[str, Any] = {}
        for key in form:
            if key in lists:
                raw[key] = [v for v in form.getlist(key) if v]
            elif form.get(key, "") != "":
                raw[key] = form.get(key)
        try:
            return self.load(raw), {}
        except ValidationError as err:
            messages = translate_errors(err.messages)
            return {}, {field: _flatten(found) for field, found in messages.items()}


def _flatten(found: Any) -> list[str]:
    """A field's messages as a flat list (marshmallow gives a string, a list, or, for list
    items, {index: [...]})."""
    if isinstance(found, str):
        return [found]
    if isinstance(found, dict):
        return [m for value in found.values() for m in _flatten(value)]
    return [m for value in found for m in _flatten(value)]


class UserCreateSchema(FormSchema):
    email = fields.String(required=True, validate=_email)
    name = fields.String(required=True, validate=_text(120))
    role = fields.String(required=True, validate=validate.OneOf(
        ROLES, error=_l("Choose one of the roles.")))
    password = fields.String(required=True, validate=_password)
    areas = fields.List(fields.String(), load_default=list, validate=_ubigeos)


class UserEditSchema(FormSchema):
    name = fields.String(required=True, validate=_text(120))
    role = fields.String(required=True, validate=validate.OneOf(
        ROLES, error=_l("Choose one of the roles.")))


class UserActiveSchema(FormSchema):
    active = fields.Boolean(required=True)


class PasswordSchema(FormSchema):
    password = fields.String(required=True, validate=_password)
    confirm = fields.String(required=True)

    @validates_schema
    def _same(self, data: dict, **_kwargs: Any) -> None:
        if data.get("password") != data.get("confirm"):
            raise ValidationError(_("The two passwords are not the same."), "confirm")


class AreasSchema(FormSchema):
    areas = fields.List(fields.String(), load_default=list, validate=_ubigeos)


class DeviceEnrolSchema(FormSchema):
    label = fields.String(required=True, validate=_text(120))
    promoter = fields.String(load_default="", validate=_text(120, required=False))


class AuditQuerySchema(FormSchema):
    action = fields.String(load_default=None, validate=validate.Length(max=40))
    actor = fields.String(load_default=None, validate=_text(254, required=False))
    since = fields.Date(load_default=None, validate=PLAUSIBLE_DATE)
    until = fields.Date(load_default=None, validate=PLAUSIBLE_DATE)
    before = fields.Integer(load_default=None, strict=False,
                            validate=validate.Range(min=1, max=MAX_ID,
                                                    error=_l("Not a valid value.")))

    @validates_schema
    def _order(self, data: dict, **_kwargs: Any) -> None:
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError(_("The start date is after the end date."), "until")
