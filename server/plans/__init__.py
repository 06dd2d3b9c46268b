"""Development plans, their themes and projects (commitments)."""
