"""rate_limit_counters: sign-in rate limits shared by every app process

The default rate-limit storage (RATELIMIT_STORAGE_URI unset, `database://`)
keeps one counter per key and window here (learning/core/ratelimit.py), so
several gunicorn workers count an account's attempts together. Rows whose
window has ended are deleted as the app goes; nothing here needs keeping
across the upgrade or a downgrade.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

import learning.core.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counters_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counters_expires_at'))
    op.drop_table('rate_limit_counters')
