"""Boundary schemas of the sync API for submissions, status and receipts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, fields, validate

from ..api.schema_base import BaseSchema
from ..api.validators import SHA256, UBIGEO


class LocationSchema(BaseSchema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90, error=_l(
        "Enter a latitude from -90 to 90.")))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180, error=_l(
        "Enter a longitude from -180 to 180.")))
    accuracy = fields.Float(load_default=None, allow_none=True, validate=validate.Range(
        min=0, error=_l("The accuracy cannot be negative.")))
    alt = fields.Float(load_default=None, allow_none=True)


class MetaSchema(BaseSchema):
    """Interview metadata; keys we don't know yet are kept (a newer app may send more)."""

    class Meta:
        unknown = INCLUDE

    started_at = fields.AwareDateTime(load_default=None, allow_none=True)
    completed_at = fields.AwareDateTime(load_default=None, allow_none=True)
    language = fields.String(required=True, validate=validate.OneOf(
        ("es", "qu"), error=_l("Use “es” or “qu”.")))
    district = fields.String(load_default=None, allow_none=True, validate=UBIGEO)
    location = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    consent = fields.Boolean(load_default=None, allow_none=True)
    app_version = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=40, error=_l("Too long.")))
    # the interview's readable name (the survey's instance_name), shown in lists
    instance_name = fields.String(load_default=None, allow_none=True, validate=[
        validate.Length(max=200, error=_l("Too long.")),
        validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error=_l("Remove the control characters."))])


KNOWN_META = frozenset(MetaSchema._declared_fields)


class ItemSchema(BaseSchema):
    uuid = fields.UUID(required=True)
    survey = fields.String(required=True, validate=validate.Length(1, 64, error=_l(
        "Not a valid survey identifier.")))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(
        1, 1_000_000, error=_l("Not a valid version number.")))
    # each answer is checked against its question by submissions/answers.py
    answers = fields.Dict(required=True)
    meta = fields.Nested(MetaSchema, required=True)
    # a roster with a photo per member needs more than a flat form
    attachments = fields.List(fields.String(validate=SHA256), load_default=list,
                              validate=validate.Length(max=200, error=_l(
                                  "At most 200 files per submission.")))


class ItemResultSchema(BaseSchema):
    uuid = fields.String(allow_none=True)
    outcome = fields.String(validate=validate.OneOf(("stored", "duplicate", "conflict",
                                                     "rejected")))
    errors = fields.Dict()
    missing_attachments = fields.List(fields.String())
    receipt = fields.String(allow_none=True)


class BatchSchema(BaseSchema):
    submissions = fields.List(fields.Raw(), required=True)  # items are judged one by one


class BatchResultSchema(BaseSchema):
    results = fields.List(fields.Nested(ItemResultSchema))


class StatusRequestSchema(BaseSchema):
    uuids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 500, error=_l(
        "Send from 1 to 500 identifiers.")))


class StatusItemSchema(BaseSchema):
    uuid = fields.String()
    held = fields.Boolean()
    status = fields.String(allow_none=True)
    receipt = fields.String(allow_none=True)
    missing_attachments = fields.List(fields.String())


class StatusResultSchema(BaseSchema):
    submissions = fields.List(fields.Nested(StatusItemSchema))


class ReceiptResponseSchema(BaseSchema):
    text = fields.String()
    language = fields.String()
    responded_at = fields.AwareDateTime()


class ReceiptUpdateSchema(BaseSchema):
    """The coordinators' public update that answers this feedback, on the portal."""

    title = fields.String()
    url = fields.String()


class ReceiptSchema(BaseSchema):
    receipt = fields.String()
    status = fields.String()
    status_label = fields.String()
    survey_title = fields.String()
    received_at = fields.AwareDateTime()
    response = fields.Nested(ReceiptResponseSchema, allow_none=True)
    public_update = fields.Nested(ReceiptUpdateSchema, allow_none=True)
