"""evaluation_rule_sets, evaluation_periods, evaluation_period_campaigns: the year's evaluation begins

A rule set is a period's rules as data (learning/evaluation/rules.py:
weights, bands, quota), never changed once written and found by its
content's hash. A period names its year, its dates, the campaigns that
count and the rule set in force; locking it (later) freezes its results.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import learning.core.db

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evaluation_rule_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluation_rule_sets_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_rule_sets')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_evaluation_rule_sets_content_hash'))
    )
    op.create_table('evaluation_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('locked_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluation_periods_created_by_id_users')),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_evaluation_periods_locked_by_id_users')),
    sa.ForeignKeyConstraint(['rule_set_id'], ['evaluation_rule_sets.id'], name=op.f('fk_evaluation_periods_rule_set_id_evaluation_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_periods'))
    )
    with op.batch_alter_table('evaluation_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_periods_year'), ['year'], unique=False)
    op.create_table('evaluation_period_campaigns',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_evaluation_period_campaigns_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['period_id'], ['evaluation_periods.id'], name=op.f('fk_evaluation_period_campaigns_period_id_evaluation_periods')),
    sa.PrimaryKeyConstraint('period_id', 'campaign_id', name=op.f('pk_evaluation_period_campaigns'))
    )
    with op.batch_alter_table('evaluation_period_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_period_campaigns_campaign_id'), ['campaign_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('evaluation_period_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_period_campaigns_campaign_id'))
    op.drop_table('evaluation_period_campaigns')
    with op.batch_alter_table('evaluation_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_periods_year'))
    op.drop_table('evaluation_periods')
    op.drop_table('evaluation_rule_sets')
