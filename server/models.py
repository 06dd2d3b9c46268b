"""Imports every model so the metadata is complete (for Alembic and for tests)."""

from .attachments.models import Attachment
from .devices.models import Device
from .places.models import Place
from .plans.models import Plan, Project, Theme
from .submissions.models import (
    Submission,
    SubmissionAttachment,
    SubmissionConflict,
    SubmissionPersonal,
)
from .surveys.models import Survey, SurveyVersion
from .users.models import User

__all__ = [
    "Attachment", "Device", "Place", "Plan", "Project", "Submission", "SubmissionAttachment",
    "SubmissionConflict", "SubmissionPersonal", "Survey", "SurveyVersion", "Theme",
    "User",
]
