from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, pre_load, validate

from ..api.schema_base import BaseSchema
from ..api.validators import UBIGEO


class PlaceQuerySchema(BaseSchema):
    parent = fields.String(load_default=None, validate=UBIGEO)
    q = fields.String(load_default=None, validate=validate.Length(2, 60, error=_l(
        "Type from 2 to 60 letters.")))
    level = fields.String(load_default=None, validate=validate.OneOf(
        ("department", "province", "district"), error=_l(
            "Use department, province or district.")))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100, error=_l(
        "Enter a number from 1 to 100.")))
    lang = fields.String(load_default=None)  # read by the locale selector

    @pre_load
    def _empty_is_absent(self, data: dict, **_kwargs) -> dict:
        """`?q=&level=` (a form sent with empty boxes) means the same as leaving them out."""
        return {key: value for key, value in data.items() if value != ""}


class PlaceSchema(BaseSchema):
    ubigeo = fields.String()
    level = fields.String()
    name = fields.String()
    parent = fields.String(attribute="parent_ubigeo", allow_none=True)
    path = fields.String()
    lat = fields.Float(attribute="latitude", allow_none=True)
    lon = fields.Float(attribute="longitude", allow_none=True)


class PlaceListSchema(BaseSchema):
    places = fields.List(fields.Nested(PlaceSchema))


class BulkPlacesSchema(BaseSchema):
    department = fields.String()
    columns = fields.List(fields.String())
    levels = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.List(fields.Raw()))
