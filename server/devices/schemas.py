from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..api.schema_base import BaseSchema


class PairRequestSchema(BaseSchema):
    code = fields.String(required=True, validate=validate.Length(1, 32, error=_l(
        "Type the code your coordinator gave you.")))


class PairResponseSchema(BaseSchema):
    token = fields.String()
    device = fields.Dict()
