"""The public portal: no sign-in, aggregates only, small counts suppressed (docs/portal.md)."""
