"""Form schemas for the portal pages of the console: a public update, a survey made public,
a free-text answer marked publishable."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from marshmallow import ValidationError, fields, post_load, validate

from ..submissions.filters import MAX_ID, PLAUSIBLE_DATE
from .admin_schemas import FormSchema, _text

_RECEIPT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_RECEIPTS = 200


def _receipt_list(value: str) -> None:
    codes = [c for c in _SEPARATORS.split(value.strip().upper()) if c]
    wrong = [c for c in codes if not _RECEIPT.fullmatch(c)]
    if wrong:
        raise ValidationError(_("Write receipt codes like ABCD-2345: %(codes)s",
                                codes=", ".join(wrong[:5])))
    if len(codes) > MAX_RECEIPTS:
        raise ValidationError(ngettext("At most %(max)s receipt code.",
                                       "At most %(max)s receipt codes.", MAX_RECEIPTS,
                                       max=MAX_RECEIPTS))


class PublicUpdateSchema(FormSchema):
    project_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=MAX_ID, error=_l("Choose a project from the list.")))
    on_date = fields.Date(required=True, validate=PLAUSIBLE_DATE)
    title_es = fields.String(required=True, validate=_text(200))
    title_qu = fields.String(required=True, validate=_text(200))
    body_es = fields.String(required=True, validate=_text(5000))
    body_qu = fields.String(required=True, validate=_text(5000))
    receipts = fields.String(load_default="", validate=_receipt_list)
    remove_photo = fields.Boolean(load_default=False)

    @post_load
    def _codes(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        data["receipts"] = tuple(c for c in _SEPARATORS.split(data["receipts"].upper()) if c)
        return data


class PublicFlagSchema(FormSchema):
    public = fields.Boolean(required=True)


class PublishableSchema(FormSchema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=64))
    publishable = fields.Boolean(required=True)
