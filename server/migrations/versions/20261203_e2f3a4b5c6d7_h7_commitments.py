"""commitments in the console: an index on evidence files, for the media clean-up

Revision ID: e2f3a4b5c6d7
Revises: d1e2f3a4b5c6
Created: 2026-12-03 13:30:00
"""

from alembic import op

revision = 'e2f3a4b5c6d7'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_commitment_updates_evidence", "commitment_updates", ["evidence_sha256"])


def downgrade():
    op.drop_index("ix_commitment_updates_evidence", table_name="commitment_updates")
