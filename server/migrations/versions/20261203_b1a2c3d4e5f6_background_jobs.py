"""background jobs: the jobs table (kind, shared key, progress, lease, kept file) and who asked for each

Revision ID: b1a2c3d4e5f6
Revises: debc817c09ef
Created: 2026-12-03 09:40:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql
import server.db_types


revision = 'b1a2c3d4e5f6'
down_revision = 'debc817c09ef'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')
TIME = server.db_types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', JSON, nullable=False),
    sa.Column('params_hash', sa.String(length=64), nullable=False),
    sa.Column('share_key', sa.String(length=64), nullable=True),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('started_at', TIME, nullable=True),
    sa.Column('finished_at', TIME, nullable=True),
    sa.Column('lease_until', TIME, nullable=True),
    sa.Column('worker', sa.String(length=80), nullable=True),
    sa.Column('file_path', sa.String(length=500), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('mimetype', sa.String(length=120), nullable=True),
    sa.Column('expires_at', TIME, nullable=True),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('result', JSON, nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_jobs_status')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_jobs_requested_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('share_key', name=op.f('uq_jobs_share_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_status_lease_until', ['status', 'lease_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_params_hash'), ['params_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_expires_at'), ['expires_at'], unique=False)

    op.create_table('job_requesters',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', TIME, nullable=False),
    sa.Column('audit_event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_requesters_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_job_requesters_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_events.id'], name=op.f('fk_job_requesters_audit_event_id_audit_events'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('job_id', 'user_id', name=op.f('pk_job_requesters'))
    )
    with op.batch_alter_table('job_requesters', schema=None) as batch_op:
        batch_op.create_index('ix_job_requesters_user_id_requested_at', ['user_id', 'requested_at'], unique=False)


def downgrade():
    with op.batch_alter_table('job_requesters', schema=None) as batch_op:
        batch_op.drop_index('ix_job_requesters_user_id_requested_at')
    op.drop_table('job_requesters')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_expires_at'))
        batch_op.drop_index(batch_op.f('ix_jobs_params_hash'))
        batch_op.drop_index('ix_jobs_status_lease_until')
    op.drop_table('jobs')
