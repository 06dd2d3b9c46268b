"""Committing a change made by a console form: a record made at the same moment with the
same code by someone else (the unique constraint) becomes the form's "code taken" error."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .errors import FieldError


def commit(code_taken: str | None = None) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        if code_taken is None:
            raise
        raise FieldError("code", code_taken) from exc
    except Exception:
        db.session.rollback()
        raise
