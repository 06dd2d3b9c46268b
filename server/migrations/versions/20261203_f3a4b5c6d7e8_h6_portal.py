"""placeholder (h6_portal): replace with the real change or delete

Revision ID: f3a4b5c6d7e8
Revises: e2f3a4b5c6d7
Created: 2026-12-03 13:30:00
"""

revision = 'f3a4b5c6d7e8'
down_revision = 'e2f3a4b5c6d7'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
