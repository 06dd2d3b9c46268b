"""Reviewing submissions in the console: state changes, replies to residents, conflicts.

The services here own their transactions and write the audit record in the same commit."""
