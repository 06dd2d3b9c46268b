"""placeholder (h1_jobs): replace with the real change or delete

Revision ID: d1e2f3a4b5c6
Revises: c2b3d4e5f6a7
Created: 2026-12-03 13:30:00
"""

revision = 'd1e2f3a4b5c6'
down_revision = 'c2b3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
