"""closed public links, personal data of conflicts apart

Revision ID: 5547a76ceb0e
Revises: 679860f21c15
Created: 2026-11-23 14:06:03.463800
"""
from alembic import op
import sqlalchemy as sa
import server.db_types
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = '5547a76ceb0e'
down_revision = '679860f21c15'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('submission_conflicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True))

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_link_open', sa.Boolean(), server_default=sa.true(), nullable=False))




def downgrade():

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('public_link_open')

    with op.batch_alter_table('submission_conflicts', schema=None) as batch_op:
        batch_op.drop_column('personal')


