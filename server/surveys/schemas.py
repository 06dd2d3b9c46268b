from __future__ import annotations

from marshmallow import fields

from ..api.schema_base import BaseSchema


class SurveySummarySchema(BaseSchema):
    id = fields.String(attribute="code")
    title = fields.Dict(keys=fields.String(), values=fields.String())
    version = fields.Integer()
    etag = fields.String()
    languages = fields.List(fields.String())
    public = fields.Boolean()
    published_at = fields.AwareDateTime()


class SurveyListSchema(BaseSchema):
    surveys = fields.List(fields.Nested(SurveySummarySchema))


class SurveyDetailSchema(SurveySummarySchema):
    definition = fields.Dict()


def summary(survey, version) -> dict:
    return {
        "code": survey.code,
        "title": version.definition.get("title", survey.title),
        "version": version.number,
        "etag": version.digest,
        "languages": version.definition.get("languages", []),
        "public": survey.public_token is not None,
        "published_at": version.published_at,
    }
