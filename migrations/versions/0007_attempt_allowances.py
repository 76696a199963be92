"""attempt_allowances: attempts granted beyond what a quiz allows

A reviewer grants a member one more attempt (with a reason, in the audit
log), or returning a reflection for rewriting does; learning/study/allowances.py
adds them to the quiz's own number.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

import learning.core.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attempt_allowances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_attempt_allowances_granted_by_id_users')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_attempt_allowances_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempt_allowances_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_allowances'))
    )
    with op.batch_alter_table('attempt_allowances', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_allowances_member_lesson', ['user_id', 'lesson_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attempt_allowances', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_allowances_member_lesson')

    op.drop_table('attempt_allowances')
