"""due_date_extensions, users.search_name: a member's later due date; finding members by name

A reviewer gives one member a later due date for one lesson, with a reason
(learning/campaigns/extensions.py); campaigns.binding reads the latest one.
Rows are never deleted. users.search_name holds the name without case or
diacritics (learning/org/names.py `folded`), so a reviewer typing
"nguyen van duc" finds "Nguyễn Văn Đức"; existing members get theirs here.

Revision ID: 0013
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

import learning.core.db
from learning.org.names import folded

revision = '0013'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('due_date_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_due_date_extensions_granted_by_id_users')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_due_date_extensions_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_due_date_extensions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_due_date_extensions'))
    )
    with op.batch_alter_table('due_date_extensions', schema=None) as batch_op:
        batch_op.create_index('ix_due_date_extensions_member_lesson', ['user_id', 'lesson_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=120), server_default='', nullable=False))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                     sa.column('search_name', sa.String))
    connection = op.get_bind()
    names = [{"user_id": user_id, "folded": folded(name)[:120]}
             for user_id, name in connection.execute(sa.select(users.c.id, users.c.full_name))]
    if names:
        connection.execute(users.update().where(users.c.id == sa.bindparam("user_id"))
                           .values(search_name=sa.bindparam("folded")), names)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('search_name')

    with op.batch_alter_table('due_date_extensions', schema=None) as batch_op:
        batch_op.drop_index('ix_due_date_extensions_member_lesson')

    op.drop_table('due_date_extensions')
