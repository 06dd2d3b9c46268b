"""Shared pieces of the JSON API under /api/v1: errors, client authentication, OpenAPI."""

API_PREFIX = "/api/v1"
