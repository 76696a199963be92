"""lesson_rollups: progress counts per unit and lesson, for the dashboards;
ix_users_unit_rated: members counted per unit from the index alone

Per (unit, lesson), over the progress rows of the members directly in the
unit (active, not exempt): started, completed, on time, reflections written
and those waiting for grading,
counted scores and their sum. Every progress write keeps them current in its
own transaction (learning/study/rollups.py); dashboards sum them over a
subtree instead of reading every member's progress. The table is filled from
lesson_progress here, as `flask study rebuild-rollups` would.

Revision ID: 0011
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lesson_rollups',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('started', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('reflected', sa.Integer(), nullable=False),
    sa.Column('awaiting', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('score_sum', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_rollups_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_lesson_rollups_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'lesson_id', name=op.f('pk_lesson_rollups'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_unit_rated', ['unit_id', 'active', 'exempt'], unique=False)
    # The progress recorded so far (the same grouping as study.rollups.recompute).
    op.execute("""
        INSERT INTO lesson_rollups (unit_id, lesson_id, started, completed, on_time, reflected, awaiting, scored, score_sum)
        SELECT u.unit_id, p.lesson_id,
               SUM(CASE WHEN p.started_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.completed_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.completed_at IS NOT NULL AND p.on_time THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.reflection_submitted_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.reflection_submitted_at IS NOT NULL AND p.reflection_graded_at IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.counted_percent IS NOT NULL THEN 1 ELSE 0 END),
               COALESCE(SUM(p.counted_percent), 0)
        FROM lesson_progress p JOIN users u ON u.id = p.user_id
        WHERE u.unit_id IS NOT NULL AND u.active AND NOT u.exempt
        GROUP BY u.unit_id, p.lesson_id
    """)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_unit_rated')
    op.drop_table('lesson_rollups')
