"""What the user asked for: format, labels or codes, personal data, media; and the schema
that reads it from the console form (the filters are read by `SubmissionFilter`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, validate
from marshmallow import fields as mf

from ..api.schema_base import BaseSchema
from ..api.validators import FullMatch
from ..submissions.filters import SubmissionFilter

FORMATS = {
    # format: (file extension, media type)
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": ("geojson", "application/geo+json"),
    "jsonl": ("jsonl", "application/x-ndjson"),
}
# "codes": headers are column codes and answers their stored values; a content language
# code ("es", "qu", "en", "ay", "pt-BR"…): labels in that language, else in the survey's
# default language. The console offers these; any content language is accepted.
LABELS = ("codes", "es", "qu")
LABELS_RE = r"^(codes|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$"


@dataclass(frozen=True)
class ExportOptions:
    filter: SubmissionFilter
    format: str = "csv"
    labels: str = "codes"
    personal: bool = False
    media: bool = False

    @property
    def language(self) -> str | None:
        return None if self.labels == "codes" else self.labels


class ExportFormSchema(BaseSchema):
    class Meta:
        unknown = EXCLUDE

    format = mf.String(load_default="csv", validate=validate.OneOf(
        tuple(FORMATS), error=_l("Choose one of the formats.")))
    labels = mf.String(load_default="codes", validate=FullMatch(
        LABELS_RE, error=_l("Choose codes, Spanish or Quechua.")))
    # an HTML checkbox sends "on" when ticked and nothing otherwise
    personal = mf.Boolean(load_default=False, truthy={"on", "1", "true", "yes"})
    media = mf.Boolean(load_default=False, truthy={"on", "1", "true", "yes"})
