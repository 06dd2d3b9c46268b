"""A refusal by a commitments or plans service: the form field it concerns and a message
already translated into the user's language."""

from __future__ import annotations


class FieldError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def as_errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


class OutsideAreas(Exception):
    """The user's area limits do not cover this project, plan or actor (the view answers 403)."""
