"""placeholder (h8_console): replace with the real change or delete

Revision ID: a4b5c6d7e8f9
Revises: f3a4b5c6d7e8
Created: 2026-12-03 13:30:00
"""

revision = 'a4b5c6d7e8f9'
down_revision = 'f3a4b5c6d7e8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
