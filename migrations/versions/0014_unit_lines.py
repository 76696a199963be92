"""unit_ancestors, member_tallies, lesson_rollups.beneath: counts kept along each unit's line

A unit's line is itself, then every unit above it but the top of its tree
(learning/org/lineage.py). Member counts (member_tallies) and lesson
roll-ups are now kept for the members directly in a unit (beneath false)
and for those beneath it (true), in every unit of the members' lines, so a
dashboard sums its children's rows instead of every cell's. All three are
filled here from what is recorded, as `flask study rebuild-rollups` would.

Revision ID: 0014
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None

COUNTS = "started, completed, on_time, reflected, awaiting, scored, score_sum"


def _lineage(path: str) -> list[tuple[int, int]]:
    # A frozen copy of learning.org.lineage.lineage, as this revision knew it.
    ids = [int(part) for part in path.strip("/").split("/") if part]
    if not ids:
        return []
    return [(ids[-1], 0)] + [(ids[i], len(ids) - 1 - i) for i in range(len(ids) - 2, 0, -1)]


def upgrade() -> None:
    ancestors = op.create_table('unit_ancestors',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('ancestor_id', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ancestor_id'], ['units.id'], name=op.f('fk_unit_ancestors_ancestor_id_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_ancestors_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'ancestor_id', name=op.f('pk_unit_ancestors'))
    )
    with op.batch_alter_table('unit_ancestors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_ancestors_ancestor_id'), ['ancestor_id'], unique=False)
    op.create_table('member_tallies',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('beneath', sa.Boolean(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_member_tallies_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'beneath', name=op.f('pk_member_tallies'))
    )
    with op.batch_alter_table('lesson_rollups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('beneath', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_constraint('pk_lesson_rollups', type_='primary')
        batch_op.create_primary_key('pk_lesson_rollups', ['unit_id', 'lesson_id', 'beneath'])

    connection = op.get_bind()
    rows = [{"unit_id": unit_id, "ancestor_id": ancestor, "depth": depth}
            for unit_id, path in connection.execute(sa.text("SELECT id, path FROM units"))
            for ancestor, depth in _lineage(path or "")]
    for start in range(0, len(rows), 5000):
        connection.execute(ancestors.insert(), rows[start:start + 5000])
    op.execute("""
        INSERT INTO member_tallies (unit_id, beneath, members)
        SELECT unit_id, false, COUNT(*) FROM users
        WHERE unit_id IS NOT NULL AND active AND NOT exempt GROUP BY unit_id
    """)
    op.execute("""
        INSERT INTO member_tallies (unit_id, beneath, members)
        SELECT a.ancestor_id, true, SUM(t.members) FROM member_tallies t
        JOIN unit_ancestors a ON a.unit_id = t.unit_id AND a.depth > 0
        WHERE NOT t.beneath GROUP BY a.ancestor_id
    """)
    sums = ", ".join(f"SUM(r.{name})" for name in COUNTS.split(", "))
    op.execute(f"""
        INSERT INTO lesson_rollups (unit_id, lesson_id, beneath, {COUNTS})
        SELECT a.ancestor_id, r.lesson_id, true, {sums} FROM lesson_rollups r
        JOIN unit_ancestors a ON a.unit_id = r.unit_id AND a.depth > 0
        WHERE NOT r.beneath GROUP BY a.ancestor_id, r.lesson_id
    """)


def downgrade() -> None:
    op.execute("DELETE FROM lesson_rollups WHERE beneath")
    with op.batch_alter_table('lesson_rollups', schema=None) as batch_op:
        batch_op.drop_constraint('pk_lesson_rollups', type_='primary')
        batch_op.create_primary_key('pk_lesson_rollups', ['unit_id', 'lesson_id'])
        batch_op.drop_column('beneath')
    op.drop_table('member_tallies')
    with op.batch_alter_table('unit_ancestors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_ancestors_ancestor_id'))
    op.drop_table('unit_ancestors')
