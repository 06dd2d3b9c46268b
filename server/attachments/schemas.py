from __future__ import annotations

from marshmallow import fields

from ..api.schema_base import BaseSchema


class AttachmentReceivedSchema(BaseSchema):
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    created = fields.Boolean()
