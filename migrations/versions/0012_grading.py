"""Grading reflections: scales, grades, leases

rubrics: grading scales as set, immutable, found by a content hash (a changed
scale is a new row); campaign_scales: the scale a campaign grades with now
(none: pass / not pass); grades: every grade given, a regrade adding a row
(one current per answer, a partial unique index); grading_leases: who grades
a reflection now, until when, one row per answer. answers.passed and the
lesson_progress.reflection_* columns are study's copy of the current grade:
the member's pages and the lesson's state read them (learning/review/,
learning/study/reflections.py).

Revision ID: 0012
Revises: 0010 (relinked after main's 0013 and 0010; written on 0007)
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate writes Text() for JSONB)
from sqlalchemy.dialects import postgresql

import learning.core.db

revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rubrics_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubrics')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_rubrics_content_hash'))
    )
    op.create_table('campaign_scales',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                            name=op.f('fk_campaign_scales_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_campaign_scales_rubric_id_rubrics')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_campaign_scales_set_by_id_users')),
    sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_campaign_scales'))
    )
    op.create_table('grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.Column('levels', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('points', sa.Double(), nullable=False),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('percent', sa.Double(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('returned', sa.Boolean(), nullable=False),
    sa.Column('graded_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_grades_answer_id_answers')),
    sa.ForeignKeyConstraint(['grader_id'], ['users.id'], name=op.f('fk_grades_grader_id_users')),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_grades_rubric_id_rubrics')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['grades.id'],
                            name=op.f('fk_grades_superseded_by_id_grades')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grades'))
    )
    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grades_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index('uq_grades_one_current', ['answer_id'], unique=True,
                              sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.create_table('grading_leases',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_grading_leases_answer_id_answers')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_grading_leases_reviewer_id_users')),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_grading_leases'))
    )
    with op.batch_alter_table('grading_leases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_leases_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passed', sa.Boolean(), nullable=True))

    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reflection_graded_at', learning.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reflection_passed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('reflection_returned_reason', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_column('reflection_returned_reason')
        batch_op.drop_column('reflection_passed')
        batch_op.drop_column('reflection_graded_at')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('passed')

    with op.batch_alter_table('grading_leases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grading_leases_expires_at'))

    op.drop_table('grading_leases')
    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.drop_index('uq_grades_one_current', sqlite_where=sa.text('is_current'),
                            postgresql_where=sa.text('is_current'))
        batch_op.drop_index(batch_op.f('ix_grades_answer_id'))

    op.drop_table('grades')
    op.drop_table('campaign_scales')
    op.drop_table('rubrics')
