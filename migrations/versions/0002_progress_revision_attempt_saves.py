"""lesson_progress.revision for the progress roll-up; attempts.last_saved_at goes

Saves now serialise with submission through a share lock on the attempt row
(study.save_answers), so attempts no longer record when they were last saved:
the answers' own saved_at says it.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import learning.core.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('last_saved_at')


def downgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_saved_at', learning.core.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_column('revision')
