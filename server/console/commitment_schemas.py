"""Form schemas for actors, commitments, their progress updates, and plans edited in the
console. Messages are translated at validation time and shown beside their fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from ..commitments.amounts import MAX_AMOUNT, parse_amount
from ..commitments.models import ACTOR_TYPES, COMMITMENT_STATUSES
from ..submissions.filters import PLAUSIBLE_DATE
from .admin_schemas import FormSchema, _text

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
UBIGEO_RE = re.compile(r"^\d{6}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


def _code(value: str) -> None:
    if not CODE_RE.fullmatch(value.strip()) or value.strip().lower() == "new":
        raise ValidationError(_("Use letters, digits, dots, dashes or underscores (at most 40)."))


def _url(value: str) -> None:
    if len(value) > 500 or not URL_RE.fullmatch(value.strip()):
        raise ValidationError(_("Enter a web address starting with http:// or https://."))


def _ubigeo(value: str) -> None:
    if not UBIGEO_RE.fullmatch(value):
        raise ValidationError(_("Choose a place from the list."))


class Amount(fields.Field):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        amount = parse_amount(str(value))
        if amount is None or amount > MAX_AMOUNT:
            raise ValidationError(_("Enter an amount in soles, like 150000 or 150000.50."))
        return amount


class ActorSchema(FormSchema):
    code = fields.String(validate=_code)
    type = fields.String(required=True, validate=validate.OneOf(
        ACTOR_TYPES, error=_l("Choose one of the types.")))
    name_es = fields.String(required=True, validate=_text(200))
    name_qu = fields.String(load_default="", validate=_text(200, required=False))
    description_es = fields.String(load_default="", validate=_text(2000, required=False))
    description_qu = fields.String(load_default="", validate=_text(2000, required=False))
    place = fields.String(load_default=None, validate=_ubigeo)
    website = fields.String(load_default=None, validate=_url)


class CommitmentSchema(FormSchema):
    code = fields.String(validate=_code)
    actor = fields.String(required=True, validate=validate.Length(
        max=40, error=_l("Choose an actor from the list.")))
    what_es = fields.String(required=True, validate=_text(2000))
    what_qu = fields.String(load_default="", validate=_text(2000, required=False))
    amount_pen = Amount(load_default=None)
    due_date = fields.Date(load_default=None, validate=PLAUSIBLE_DATE)
    status = fields.String(load_default="pending", validate=validate.OneOf(
        COMMITMENT_STATUSES, error=_l("Choose one of the statuses.")))
    fulfilled_on = fields.Date(load_default=None, validate=PLAUSIBLE_DATE)


class CommitmentQuerySchema(FormSchema):
    """The commitments list's filters (status: as shown, "late" included when worked out)."""

    actor = fields.String(load_default=None, validate=validate.Length(
        max=40, error=_l("Choose an actor from the list.")))
    status = fields.String(load_default=None, validate=validate.OneOf(
        COMMITMENT_STATUSES, error=_l("Choose one of the statuses.")))


class UpdateSchema(FormSchema):
    on_date = fields.Date(required=True, validate=PLAUSIBLE_DATE)
    text_es = fields.String(required=True, validate=_text(4000))
    text_qu = fields.String(load_default="", validate=_text(4000, required=False))
    evidence_url = fields.String(load_default=None, validate=_url)


class PlanSchema(FormSchema):
    code = fields.String(validate=_code)
    name_es = fields.String(required=True, validate=_text(300))
    name_qu = fields.String(load_default="", validate=_text(300, required=False))
    period = fields.String(load_default=None, validate=_text(40, required=False))
    department = fields.String(load_default=None, validate=_ubigeo)


class ThemeSchema(FormSchema):
    code = fields.String(validate=_code)
    name_es = fields.String(required=True, validate=_text(200))
    name_qu = fields.String(load_default="", validate=_text(200, required=False))
    description_es = fields.String(load_default="", validate=_text(2000, required=False))
    description_qu = fields.String(load_default="", validate=_text(2000, required=False))


class ProjectSchema(FormSchema):
    code = fields.String(validate=_code)
    name_es = fields.String(required=True, validate=_text(300))
    name_qu = fields.String(required=True, validate=_text(300))
    theme = fields.String(required=True, validate=validate.Length(max=40))
    districts = fields.List(fields.String(validate=_ubigeo), required=True,
                            validate=validate.Length(min=1, error=_l(
                                "Choose at least one district.")))
    responsible = fields.String(load_default="", validate=_text(300, required=False))


class ProgressSchema(FormSchema):
    on_date = fields.Date(required=True, validate=PLAUSIBLE_DATE)
    progress_pct = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=100, error=_l("Progress must be a whole number from 0 to 100.")))
    source = fields.String(required=True, validate=_text(500))


def creating(schema: type[FormSchema]) -> FormSchema:
    """The schema for a new record: its code is required then (and fixed afterwards)."""
    made = schema()
    made.fields["code"].required = True
    return made


__all__ = ["ActorSchema", "CommitmentSchema", "PlanSchema", "ProgressSchema", "ProjectSchema",
           "ThemeSchema", "UpdateSchema", "creating", "parse_amount"]
