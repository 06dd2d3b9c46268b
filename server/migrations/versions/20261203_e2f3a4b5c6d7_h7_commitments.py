"""placeholder (h7_commitments): replace with the real change or delete

Revision ID: e2f3a4b5c6d7
Revises: d1e2f3a4b5c6
Created: 2026-12-03 13:30:00
"""

revision = 'e2f3a4b5c6d7'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
