"""users.name_key: members listed in Vietnamese order

The key (learning/org/names.py) is computed from the full name; existing
members get theirs here. On PostgreSQL the column uses the C collation, so
it sorts byte by byte as on SQLite.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from learning.org.names import sort_key

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

KEY_TYPE = sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', KEY_TYPE, nullable=False, server_default=''))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                     sa.column('name_key', sa.String))
    connection = op.get_bind()
    keys = [{"user_id": user_id, "key": sort_key(name)}
            for user_id, name in connection.execute(sa.select(users.c.id, users.c.full_name))]
    if keys:
        connection.execute(users.update().where(users.c.id == sa.bindparam("user_id"))
                           .values(name_key=sa.bindparam("key")), keys)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)
        batch_op.create_index(batch_op.f('ix_users_name_key'), ['name_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_name_key'))
        batch_op.drop_column('name_key')
