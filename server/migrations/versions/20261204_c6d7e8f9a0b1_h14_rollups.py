"""h14: rollup tables for the dashboard and the portal, filled from existing submissions

Revision ID: c6d7e8f9a0b1
Revises: b5c6d7e8f9a0
Created: 2026-12-04 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'c6d7e8f9a0b1'
down_revision = 'b5c6d7e8f9a0'
branch_labels = None
depends_on = None

_DIMS = ("district_ubigeo", "project_code", "theme_code", "status", "channel", "answered")


def _dims():
    return [sa.Column("district_ubigeo", sa.String(6), nullable=False),
            sa.Column("project_code", sa.String(40), nullable=False),
            sa.Column("theme_code", sa.String(40), nullable=False),
            sa.Column("status", sa.String(10), nullable=False),
            sa.Column("channel", sa.String(10), nullable=False),
            sa.Column("answered", sa.SmallInteger(), autoincrement=False, nullable=False)]


def upgrade():
    op.create_table(
        "submission_rollups",
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("survey_id", sa.Integer(), autoincrement=False, nullable=False),
        *_dims(),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "day", "survey_id", *_DIMS,
                                name=op.f("pk_submission_rollups")))
    op.create_table(
        "submission_rating_rollups",
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("survey_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("value", sa.SmallInteger(), autoincrement=False, nullable=False),
        *_dims(),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "day", "survey_id", "question_id", "value", *_DIMS,
                                name=op.f("pk_submission_rating_rollups")))
    op.create_table(
        "submission_answer_delays",
        sa.Column("survey_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("district_ubigeo", sa.String(6), nullable=False),
        sa.Column("project_code", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("tenths", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("survey_id", "district_ubigeo", "project_code", "status",
                                "tenths", name=op.f("pk_submission_answer_delays")))
    # an upgraded database counts what it already holds
    from server.rollups.rebuild import fill

    fill(op.get_bind())


def downgrade():
    op.drop_table("submission_answer_delays")
    op.drop_table("submission_rating_rollups")
    op.drop_table("submission_rollups")
