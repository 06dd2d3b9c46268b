"""Coordinator accounts and roles."""
