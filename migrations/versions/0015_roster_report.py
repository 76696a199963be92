"""roster_uploads.report: a dry run's outcome for every row

The dry run's job result lists at most 500 rows of each kind (the job's
page reads it on every refresh); the whole report, every row's outcome and
reasons, compressed, is kept beside the uploaded file for its download
(learning/org/roster/report.py), and emptied with the file.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('roster_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('roster_uploads', schema=None) as batch_op:
        batch_op.drop_column('report')
