"""Audit log: who did what in the console and the CLI."""
