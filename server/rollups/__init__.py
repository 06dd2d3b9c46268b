"""Rollup tables: submission counts kept up to date in the same transaction as every change
to a submission, so that the dashboard and the portal never count raw submissions per
request (docs/rollups.md)."""
