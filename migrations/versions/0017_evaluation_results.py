"""evaluation_member_results, evaluation_unit_results; users.unit_since; where a period's results stand

A period's results: each rated member's study criterion (evidence, points,
suggested level, explanation, the rule set it was computed by) and each
unit's (its members' evidence summed, how many hold each level), with a
reviewer's decision beside the suggestion. users.unit_since is the day a
member was moved to their current unit: the evaluation assigns them only
what fell due after it. The period records when its results were last
computed, by which rule set and job. The members' results are derived
rows written 150,000 at a time: only their period is a foreign key.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate writes Text() for JSONB)
from sqlalchemy.dialects import postgresql

import learning.core.db

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evaluation_member_results',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('score_sum', sa.Double(), nullable=False),
    sa.Column('reflections_due', sa.Integer(), nullable=False),
    sa.Column('reflections_passed', sa.Integer(), nullable=False),
    sa.Column('conferences_due', sa.Integer(), nullable=False),
    sa.Column('conferences_attended', sa.Integer(), nullable=False),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('suggested', sa.String(length=20), nullable=True),
    sa.Column('explanation', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('computed_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('decided', sa.String(length=20), nullable=True),
    sa.Column('decided_on', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['period_id'], ['evaluation_periods.id'], name=op.f('fk_evaluation_member_results_period_id_evaluation_periods')),
    sa.PrimaryKeyConstraint('user_id', 'period_id', name=op.f('pk_evaluation_member_results'))
    )
    with op.batch_alter_table('evaluation_member_results', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_member_results_unit', ['period_id', 'unit_id'], unique=False)

    op.create_table('evaluation_unit_results',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('members_complete', sa.Integer(), nullable=False),
    sa.Column('members_on_time', sa.Integer(), nullable=False),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('score_sum', sa.Double(), nullable=False),
    sa.Column('reflections_due', sa.Integer(), nullable=False),
    sa.Column('reflections_passed', sa.Integer(), nullable=False),
    sa.Column('conferences_due', sa.Integer(), nullable=False),
    sa.Column('conferences_attended', sa.Integer(), nullable=False),
    sa.Column('excellent', sa.Integer(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('completed_tasks', sa.Integer(), nullable=False),
    sa.Column('not_completed', sa.Integer(), nullable=False),
    sa.Column('undecided', sa.Integer(), nullable=False),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('suggested', sa.String(length=20), nullable=True),
    sa.Column('explanation', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('computed_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('decided', sa.String(length=20), nullable=True),
    sa.Column('decided_on', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_evaluation_unit_results_decided_by_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['evaluation_periods.id'], name=op.f('fk_evaluation_unit_results_period_id_evaluation_periods')),
    sa.ForeignKeyConstraint(['rule_set_id'], ['evaluation_rule_sets.id'], name=op.f('fk_evaluation_unit_results_rule_set_id_evaluation_rule_sets')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_evaluation_unit_results_unit_id_units')),
    sa.PrimaryKeyConstraint('period_id', 'unit_id', name=op.f('pk_evaluation_unit_results'))
    )
    with op.batch_alter_table('evaluation_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('computed_at', learning.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('computed_rule_set_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('compute_job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_periods_computed_rule_set_id_evaluation_rule_sets'), 'evaluation_rule_sets', ['computed_rule_set_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_periods_compute_job_id_jobs'), 'jobs', ['compute_job_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_since', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('unit_since')

    with op.batch_alter_table('evaluation_periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evaluation_periods_compute_job_id_jobs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_periods_computed_rule_set_id_evaluation_rule_sets'), type_='foreignkey')
        batch_op.drop_column('compute_job_id')
        batch_op.drop_column('computed_rule_set_id')
        batch_op.drop_column('computed_at')

    op.drop_table('evaluation_unit_results')
    with op.batch_alter_table('evaluation_member_results', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_member_results_unit')

    op.drop_table('evaluation_member_results')
