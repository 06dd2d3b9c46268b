"""placeholder (h9_rollups): replace with the real change or delete

Revision ID: b5c6d7e8f9a0
Revises: a4b5c6d7e8f9
Created: 2026-12-03 14:00:00
"""

revision = 'b5c6d7e8f9a0'
down_revision = 'a4b5c6d7e8f9'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
