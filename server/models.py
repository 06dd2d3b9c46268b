"""Imports every model so the metadata is complete (for Alembic and for tests)."""

from .attachments.models import Attachment
from .audit.models import AuditEvent
from .commitments.models import Actor, Commitment, CommitmentUpdate, ProgressReport
from .devices.models import Device
from .jobs.models import Job, JobRequester
from .places.models import Place
from .plans.models import Plan, Project, Theme
from .portal.models import PublicSurvey, PublicUpdate, PublishableText, UpdateAnswer
from .rollups.models import SubmissionAnswerDelay, SubmissionRatingRollup, SubmissionRollup
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
    "Actor", "Commitment", "CommitmentUpdate", "ProgressReport", "PublicSurvey", "PublicUpdate",
    "PublishableText", "UpdateAnswer",
    "Attachment", "AuditEvent", "ConsoleSession", "Device", "Place", "Plan", "Project",
    "Job", "JobRequester",
    "Submission", "SubmissionAnswerDelay", "SubmissionRatingRollup", "SubmissionRollup",
    "SubmissionAttachment", "SubmissionConflict", "SubmissionPersonal", "SubmissionReview",
    "Survey", "SurveyFile", "SurveyVersion", "Theme", "User",
]
