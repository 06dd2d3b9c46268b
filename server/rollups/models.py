"""Counts of submissions sharing every attribute the dashboard and the portal filter or
group by. Each count exists twice: per Peru calendar day (grain "d") and per month (grain
"m", `day` the month's first day), so that long ranges read few rows and a range's partial
months still come out exact. A count may fall to 0 (rows are kept; readers skip them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

NONE = ""  # project or theme not given (key columns are never NULL: NULLs never conflict)


class SubmissionRollup(db.Model):
    __tablename__ = "submission_rollups"

    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    district_ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    answered: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class SubmissionRatingRollup(db.Model):
    """Answers 1-5 to the rating questions of each submission's own survey version."""

    __tablename__ = "submission_rating_rollups"

    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    district_ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    answered: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


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
