"""sign_ins: one row per signed-in browser, instead of one token per user

Signing out now ends that sign-in on the server, so a copy of its cookie is
worthless afterwards. Each user's old session token becomes their first
sign-in, so nobody is signed out by the upgrade (the browsers a member was
signed in on before share that one sign-in: signing out on one of them signs
out the others too, once). Those sign-ins count their lifetime from the
upgrade.

Revision ID: 0003
Revises: 0002
"""
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import learning.core.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_ins_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    sa.UniqueConstraint('token', name=op.f('uq_sign_ins_token'))
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_user_id'), ['user_id'], unique=False)

    # Every open session stays open: its token becomes a sign-in.
    op.get_bind().execute(
        sa.text("INSERT INTO sign_ins (token, user_id, created_at) SELECT session_token, id, :now FROM users")
        .bindparams(sa.bindparam("now", type_=learning.core.db.UTCDateTime())),
        {"now": datetime.now(timezone.utc)})

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_session_token'), type_='unique')
        batch_op.drop_column('session_token')


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    # Each user's newest open sign-in keeps working; the others end.
    connection.execute(sa.text(
        "UPDATE users SET session_token = (SELECT token FROM sign_ins WHERE sign_ins.user_id = users.id "
        "AND sign_ins.ended_at IS NULL ORDER BY sign_ins.id DESC LIMIT 1)"))
    without = connection.execute(sa.text("SELECT id FROM users WHERE session_token IS NULL")).scalars().all()
    for user_id in without:
        connection.execute(sa.text("UPDATE users SET session_token = :t WHERE id = :u"),
                           {"t": secrets.token_urlsafe(24), "u": user_id})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_session_token'), ['session_token'])

    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_user_id'))
    op.drop_table('sign_ins')
