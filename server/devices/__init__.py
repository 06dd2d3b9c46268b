"""Promoter devices: enrolment, one-time pairing codes, hashed tokens, revocation."""
