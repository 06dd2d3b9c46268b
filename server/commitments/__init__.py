"""Stakeholders (actors), their commitments on plan projects, progress updates with
evidence, and the projects' officially reported progress history."""
