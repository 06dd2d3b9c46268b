"""Importing a plan's projects from the console: the upload form's schema and the service
that runs the all-or-nothing importer and records the audit event in its transaction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from marshmallow import fields as mf
from werkzeug.datastructures import FileStorage

from ..api.schema_base import BaseSchema
from ..audit.services import record
from ..commitments.areas import plan_allowed, require
from ..extensions import db
from ..plans.importer import (
    MAX_BYTES,
    ImportResult,
    ProjectImportError,
    import_projects,
    parse_projects,
)
from ..plans.models import Plan


class UploadField(mf.Field):
    default_error_messages = {"invalid": _l("Choose a CSV file to import.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage) or not value.filename:
            raise self.make_error("invalid")
        return value


class ProjectsUploadSchema(BaseSchema):
    file = UploadField(required=True, error_messages={
        "required": _l("Choose a CSV file to import.")})


def read_upload(files) -> bytes:
    """The uploaded file's bytes; ValidationError (translated) when no file was chosen."""
    data = ProjectsUploadSchema().load({"file": files["file"]} if "file" in files else {})
    return data["file"].stream.read(MAX_BYTES + 1)


def import_plan_projects(plan: Plan, data: bytes, user, filename: str,
                         areas: tuple[str, ...] = ()) -> ImportResult:
    """All or nothing; raises ProjectImportError with every row problem. The audit event is
    committed together with the projects (the importer commits). It may rewrite any of the
    plan's projects: a plan-wide edit (OutsideAreas unless the user covers the department)."""
    require(plan_allowed(plan, areas))
    rows, errors = parse_projects(data, plan)
    if errors:
        raise ProjectImportError(errors)
    existing = {p.code for p in plan.projects}
    codes = [row["code"] for row in rows]
    record("plan_import", user=user, target=plan.code, details={
        "file": filename[:120], "created": sum(c not in existing for c in codes),
        "updated": sum(c in existing for c in codes)})
    try:
        return import_projects(plan, data)
    except Exception:
        db.session.rollback()
        raise


__all__ = ["ProjectImportError", "ValidationError", "import_plan_projects", "read_upload"]
