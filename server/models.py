"""Imports every model so the metadata is complete (for Alembic and for tests)."""

from .attachments.models import Attachment
from .audit.models import AuditEvent
from .devices.models import Device
from .places.models import Place
from .plans.models import Plan, Project, Theme
from .submissions.models import (
    Submission,
    SubmissionAttachment,
    SubmissionConflict,
    SubmissionPersonal,
    SubmissionReview,
)
from .surveys.models import Survey, SurveyFile, SurveyVersion
from .users.models import ConsoleSession, User

__all__ = [
    "Attachment", "AuditEvent", "ConsoleSession", "Device", "Place", "Plan", "Project",
    "Submission",
    "SubmissionAttachment", "SubmissionConflict", "SubmissionPersonal", "SubmissionReview",
    "Survey", "SurveyFile", "SurveyVersion", "Theme", "User",
]
