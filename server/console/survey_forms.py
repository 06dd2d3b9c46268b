"""Form and query-string schemas of the console's survey pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..api.validators import FullMatch
from ..submissions.filters import MAX_ID
from ..surveys.services import LINK_ACTIONS
from ..xlsform.form_code import CODE_RE
from .admin_schemas import FormSchema

POSTER_LANGUAGES = ("es", "qu")


class UploadSchema(FormSchema):
    code = fields.String(load_default=None, validate=[
        FullMatch(CODE_RE, error=_l("Use 1 to 64 letters, digits, _ . or - (no spaces).")),
        # /console/surveys/upload is a page: a survey with that code could not be reached
        validate.NoneOf(("upload",), error=_l("Not a valid value."))])
    for_promoters = fields.Boolean(load_default=False)


class LinkActionSchema(FormSchema):
    action = fields.String(required=True, validate=validate.OneOf(
        LINK_ACTIONS, error=_l("Not a valid value.")))


class DevicesSchema(FormSchema):
    devices = fields.List(fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_ID)),
                          load_default=list)


class PosterSchema(FormSchema):
    lang = fields.String(load_default="es", validate=validate.OneOf(
        POSTER_LANGUAGES, error=_l("Not a valid value.")))
