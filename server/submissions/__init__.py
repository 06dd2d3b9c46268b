"""Submissions: idempotent batch ingest, conflicts, receipts and status."""
