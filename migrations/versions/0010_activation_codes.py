"""activation_codes: one-time codes with which members choose a password

Accounts imported from rosters start without a usable password, and a
forgotten password has no reset by e-mail or SMS: a reviewer prints a code,
the member opens /activate with it (learning/org/activation.py). Only the
SHA-256 of a code is stored (learning/org/codes.py says why).

Revision ID: 0010
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

import learning.core.db

revision = '0010'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activation_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_activation_codes_issued_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activation_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_activation_codes_code_hash'))
    )
    with op.batch_alter_table('activation_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_codes_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('activation_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_codes_user_id'))
    op.drop_table('activation_codes')
