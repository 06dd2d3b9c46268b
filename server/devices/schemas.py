from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..api.schema_base import BaseSchema
from ..surveys.schemas import SurveyDetailSchema, SurveySummarySchema


class PairRequestSchema(BaseSchema):
    code = fields.String(required=True, validate=validate.Length(1, 32, error=_l(
        "Type the code your coordinator gave you.")))


class PairResponseSchema(BaseSchema):
    token = fields.String()
    device = fields.Dict()
    # the first day's downloads in the same answer (server/devices/first_day.py): the survey
    # list as GET /surveys gives it, and the definitions that fit its budget
    surveys = fields.List(fields.Nested(SurveySummarySchema))
    definitions = fields.List(fields.Nested(SurveyDetailSchema))
    # the place lists those definitions name, as GET /places/bulk/<department> gives them,
    # plus their "etag" (quoted, as in that answer's ETag header)
    places = fields.List(fields.Dict())
