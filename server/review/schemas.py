"""Forms of the review pages, loaded at the boundary with translated messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, validate
from marshmallow import fields as mf

from ..api.schema_base import BaseSchema
from ..submissions.models import STATUSES

COMMENT_MAX = 2000
REPLY_MAX = 2000
TOO_LONG = _l("Too long.")


class _FormSchema(BaseSchema):
    class Meta:
        unknown = EXCLUDE  # csrf_token and the submit button


class ReviewFormSchema(_FormSchema):
    status = mf.String(required=True, validate=validate.OneOf(
        STATUSES, error=_l("Choose a state.")))
    comment = mf.String(load_default="", validate=validate.Length(
        max=COMMENT_MAX, error=TOO_LONG))


class ReplyFormSchema(_FormSchema):
    reply_es = mf.String(load_default="", validate=validate.Length(max=REPLY_MAX, error=TOO_LONG))
    reply_qu = mf.String(load_default="", validate=validate.Length(max=REPLY_MAX, error=TOO_LONG))


class ResolveFormSchema(_FormSchema):
    note = mf.String(required=True, validate=validate.Length(max=COMMENT_MAX, error=TOO_LONG))
