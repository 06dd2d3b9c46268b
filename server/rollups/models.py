"""Counts of submissions sharing every attribute the dashboard and the portal filter or
group by. Each count exists three times: per Peru calendar day (grain "d"), per month
(grain "m", `day` the month's first day), so that long ranges read few rows and a range's
partial months still come out exact, and per portal cell (grain "p": the month, status
only "spam" or "", channel "": what the portal groups by). A count may fall to 0 (rows are
kept; readers skip them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, PrimaryKeyConstraint, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

NONE = ""  # project or theme not given (key columns are never NULL: NULLs never conflict)
_CELL = ("district_ubigeo", "project_code", "theme_code", "status", "channel", "answered")


class _Cell:
    """The key columns counts and ratings share (the key order is each table's own)."""

    grain: Mapped[str] = mapped_column(String(1))
    day: Mapped[date] = mapped_column(Date)
    survey_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    district_ubigeo: Mapped[str] = mapped_column(String(6))
    project_code: Mapped[str] = mapped_column(String(40))
    theme_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    answered: Mapped[int] = mapped_column(SmallInteger, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class SubmissionRollup(_Cell, db.Model):
    __tablename__ = "submission_rollups"
    __table_args__ = (PrimaryKeyConstraint("grain", "day", "survey_id", *_CELL),)


class SubmissionRatingRollup(_Cell, db.Model):
    """Answers 1-5 to the rating questions of each submission's own survey version."""

    __tablename__ = "submission_rating_rollups"
    __table_args__ = (PrimaryKeyConstraint("grain", "day", "survey_id", "question_id", "value",
                                           *_CELL),)

    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(SmallInteger, autoincrement=False)


class SubmissionAnswerDelay(db.Model):
    """A histogram of days from arrival to the first answer (tenths of a day), for exact
    medians per project and place."""

    __tablename__ = "submission_answer_delays"

    survey_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    district_ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    tenths: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)
