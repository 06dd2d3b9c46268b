"""initial schema

Revision ID: 679860f21c15
Revises: (none)
Created: 2026-11-23 13:06:00.141786
"""
from alembic import op
import sqlalchemy as sa
import server.db_types
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = '679860f21c15'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('attachments',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachments'))
    )
    op.create_table('places',
    sa.Column('ubigeo', sa.String(length=6), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('parent_ubigeo', sa.String(length=6), nullable=True),
    sa.Column('department_ubigeo', sa.String(length=6), nullable=False),
    sa.Column('capital', sa.String(length=120), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.CheckConstraint("level IN ('department', 'province', 'district')", name=op.f('ck_places_level')),
    sa.ForeignKeyConstraint(['parent_ubigeo'], ['places.ubigeo'], name=op.f('fk_places_parent_ubigeo_places')),
    sa.PrimaryKeyConstraint('ubigeo', name=op.f('pk_places'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_department_ubigeo'), ['department_ubigeo'], unique=False)
        batch_op.create_index('ix_places_parent_name', ['parent_ubigeo', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_search_name'), ['search_name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'coordinator', 'viewer')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('promoter_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('pairing_code_hash', sa.String(length=64), nullable=True),
    sa.Column('pairing_expires_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_code_hash', sa.String(length=64), nullable=True),
    sa.Column('paired_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_devices_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('pairing_code_hash', name=op.f('uq_devices_pairing_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_devices_token_hash'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_used_code_hash'), ['used_code_hash'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('department_ubigeo', sa.String(length=6), nullable=True),
    sa.Column('period', sa.String(length=40), nullable=True),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_ubigeo'], ['places.ubigeo'], name=op.f('fk_plans_department_ubigeo_places')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    op.create_table('submission_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('received_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_submission_conflicts_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_conflicts')),
    sa.UniqueConstraint('uuid', 'content_hash', name=op.f('uq_submission_conflicts_uuid_content_hash'))
    )
    with op.batch_alter_table('submission_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_conflicts_uuid'), ['uuid'], unique=False)

    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('for_promoters', sa.Boolean(), nullable=False),
    sa.Column('public_token', sa.String(length=64), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_surveys_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('code', name=op.f('uq_surveys_code')),
    sa.UniqueConstraint('public_token', name=op.f('uq_surveys_public_token'))
    )
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('description', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_themes_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_themes_plan_id_code'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_es', sa.Text(), nullable=False),
    sa.Column('name_qu', sa.Text(), nullable=False),
    sa.Column('responsible', sa.Text(), nullable=False),
    sa.Column('progress_pct', sa.Integer(), nullable=False),
    sa.Column('updated_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('progress_pct >= 0 AND progress_pct <= 100', name=op.f('ck_projects_progress_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_projects_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_projects_theme_id_themes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_projects_plan_id_code'))
    )
    op.create_table('survey_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_survey_versions_status')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_versions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_versions')),
    sa.UniqueConstraint('survey_id', 'number', name=op.f('uq_survey_versions_survey_id_number'))
    )
    op.create_table('project_districts',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('ubigeo', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_districts_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ubigeo'], ['places.ubigeo'], name=op.f('fk_project_districts_ubigeo_places')),
    sa.PrimaryKeyConstraint('project_id', 'ubigeo', name=op.f('pk_project_districts'))
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('district_ubigeo', sa.String(length=6), nullable=False),
    sa.Column('started_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('location_accuracy', sa.Double(), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=True),
    sa.Column('app_version', sa.String(length=40), nullable=True),
    sa.Column('extra_meta', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('receipt_code', sa.String(length=12), nullable=False),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('responded_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('device', 'public')", name=op.f('ck_submissions_channel')),
    sa.CheckConstraint("status IN ('new', 'verified', 'flagged', 'spam')", name=op.f('ck_submissions_status')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_submissions_device_id_devices')),
    sa.ForeignKeyConstraint(['district_ubigeo'], ['places.ubigeo'], name=op.f('fk_submissions_district_ubigeo_places')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_submissions_survey_id_surveys')),
    sa.ForeignKeyConstraint(['version_id'], ['survey_versions.id'], name=op.f('fk_submissions_version_id_survey_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_submissions_receipt_code')),
    sa.UniqueConstraint('uuid', name=op.f('uq_submissions_uuid'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_device_id'), ['device_id'], unique=False)
        batch_op.create_index('ix_submissions_district_received', ['district_ubigeo', 'received_at'], unique=False)
        batch_op.create_index('ix_submissions_survey_received', ['survey_id', 'received_at'], unique=False)

    op.create_table('submission_attachments',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_attachments_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'sha256', name=op.f('pk_submission_attachments'))
    )
    with op.batch_alter_table('submission_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('submission_personal',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_personal_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_submission_personal'))
    )



def downgrade():

    op.drop_table('submission_personal')
    with op.batch_alter_table('submission_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_attachments_sha256'))

    op.drop_table('submission_attachments')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_survey_received')
        batch_op.drop_index('ix_submissions_district_received')
        batch_op.drop_index(batch_op.f('ix_submissions_device_id'))

    op.drop_table('submissions')
    op.drop_table('project_districts')
    op.drop_table('survey_versions')
    op.drop_table('projects')
    op.drop_table('themes')
    op.drop_table('surveys')
    with op.batch_alter_table('submission_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_conflicts_uuid'))

    op.drop_table('submission_conflicts')
    op.drop_table('plans')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_used_code_hash'))

    op.drop_table('devices')
    op.drop_table('users')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_search_name'))
        batch_op.drop_index('ix_places_parent_name')
        batch_op.drop_index(batch_op.f('ix_places_department_ubigeo'))

    op.drop_table('places')
    op.drop_table('attachments')

