"""jobs, roster_uploads, users.admitted_on: background jobs and the roster import

`jobs` holds each background job's state, progress and result (learning/jobs),
so a page can follow it while the worker runs it; `roster_uploads` keeps an
uploaded roster file until it is imported, where any worker can read it; a
member's admission date (ngày vào Đảng) is one of the roster's columns.

Revision ID: 0009
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import learning.core.db

revision = '0009'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('started_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.Column('updated_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.Column('finished_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('roster_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', learning.core.db.UTCDateTime(), nullable=False),
    sa.Column('check_job_id', sa.Integer(), nullable=True),
    sa.Column('import_job_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', learning.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['check_job_id'], ['jobs.id'], name=op.f('fk_roster_uploads_check_job_id_jobs')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_roster_uploads_created_by_id_users')),
    sa.ForeignKeyConstraint(['import_job_id'], ['jobs.id'], name=op.f('fk_roster_uploads_import_job_id_jobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_uploads'))
    )
    with op.batch_alter_table('roster_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_uploads_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admitted_on', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('admitted_on')

    with op.batch_alter_table('roster_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_uploads_created_by_id'))

    op.drop_table('roster_uploads')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_created_by_id'))

    op.drop_table('jobs')
