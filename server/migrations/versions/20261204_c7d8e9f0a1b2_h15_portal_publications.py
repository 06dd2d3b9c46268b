"""h15: stored portal publications (one solved publication per department)

Revision ID: c7d8e9f0a1b2
Revises: c6d7e8f9a0b1
Created: 2026-12-04 19:50:00
"""

import sqlalchemy as sa
from alembic import op

import server.db_types

revision = 'c7d8e9f0a1b2'
down_revision = 'c6d7e8f9a0b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portal_publications',
    sa.Column('department_ubigeo', sa.String(length=6), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('solver', sa.Integer(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('solved_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checked_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('department_ubigeo', name=op.f('pk_portal_publications'))
    )


def downgrade():
    op.drop_table('portal_publications')
