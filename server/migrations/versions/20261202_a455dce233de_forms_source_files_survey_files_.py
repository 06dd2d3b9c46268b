"""forms: source files, survey files, instance names

Revision ID: a455dce233de
Revises: 3cae3ddc68b4
Created: 2026-12-02 06:59:31.189230
"""
from alembic import op
import sqlalchemy as sa
import server.db_types


revision = 'a455dce233de'
down_revision = '3cae3ddc68b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['survey_versions.id'], name=op.f('fk_survey_files_version_id_survey_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_files')),
    sa.UniqueConstraint('version_id', 'name', name=op.f('uq_survey_files_version_id_name'))
    )
    with op.batch_alter_table('survey_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_files_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('instance_name', sa.String(length=200), nullable=True))

    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('source_bytes', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('xform', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.drop_column('xform')
        batch_op.drop_column('source_bytes')
        batch_op.drop_column('source_name')

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('instance_name')

    with op.batch_alter_table('survey_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_files_version_id'))
        batch_op.drop_index(batch_op.f('ix_survey_files_sha256'))

    op.drop_table('survey_files')
