"""Surveys, their immutable published versions, and the expression language."""
