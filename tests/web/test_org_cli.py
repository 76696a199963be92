"""`flask org create|rename|move|merge|close|grant|revoke`: units by code or
number, one transaction each, a clear message and a non-zero exit when refused."""
from __future__ import annotations

from sqlalchemy import func, select

from learning.core import db
from learning.models import AuditEntry, RoleGrant, Unit, User


def run(app, *args):
    return app.test_cli_runner().invoke(args=["org", *args])


def unit_named(name: str) -> Unit:
    db.session.expire_all()
    return db.session.scalars(select(Unit).where(Unit.name == name)).one()


def kinds() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))


def test_create_by_parent_code_or_number_with_an_upper_cased_code(app, tree):
    result = run(app, "create", "Đảng bộ phường Mới", "--kind", "grassroots", "--parent", str(tree["province"].id),
                 "--code", "dbpm")
    assert result.exit_code == 0, result.output
    created = unit_named("Đảng bộ phường Mới")
    assert created.code == "DBPM" and created.parent_id == tree["province"].id
    result = run(app, "create", "Chi bộ 1", "--kind", "cell", "--parent", "dbpm")
    assert result.exit_code == 0, result.output
    cell = unit_named("Chi bộ 1")
    assert cell.path == f"{created.path}{cell.id}/"
    assert kinds() == ["unit.created", "unit.created"]
    top = run(app, "create", "Tỉnh ủy Mới", "--kind", "province")
    assert top.exit_code == 0 and unit_named("Tỉnh ủy Mới").parent_id is None


def test_refusals_exit_non_zero_with_a_message_and_write_nothing(app, tree):
    result = run(app, "create", "Chi bộ X", "--kind", "cell", "--parent", "NOPE")
    assert result.exit_code != 0 and "NOPE" in result.output
    run(app, "rename", str(tree["cell_a"].id), "--code", "ca")
    result = run(app, "create", "Chi bộ Y", "--kind", "cell", "--parent", str(tree["grassroots"].id), "--code", "CA")
    assert result.exit_code != 0 and "CA" in result.output and "Chi bộ A" in result.output
    result = run(app, "move", str(tree["grassroots"].id), "ca")
    assert result.exit_code != 0
    result = run(app, "close", str(tree["grassroots"].id))
    assert result.exit_code != 0 and "2" in result.output  # two open cells remain
    assert kinds() == ["unit.changed"]
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 4


def test_rename_move_merge_and_close(app, tree, make_user):
    member = make_user(member_of=tree["cell_a"])
    assert run(app, "rename", str(tree["cell_a"].id), "--name", "Chi bộ Một", "--code", "c1").exit_code == 0
    cell = unit_named("Chi bộ Một")
    assert cell.code == "C1"
    other = run(app, "create", "Đảng bộ Khác", "--kind", "grassroots", "--parent", str(tree["province"].id),
                "--code", "DBK")
    assert other.exit_code == 0
    result = run(app, "move", "c1", "dbk")
    assert result.exit_code == 0, result.output
    moved = unit_named("Chi bộ Một")
    assert moved.path == f"{unit_named('Đảng bộ Khác').path}{moved.id}/"
    result = run(app, "merge", "c1", str(tree["cell_b"].id))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, member.id).unit_id == tree["cell_b"].id
    assert not unit_named("Chi bộ Một").active
    assert run(app, "close", "dbk").exit_code == 0 and not unit_named("Đảng bộ Khác").active
    assert kinds() == ["unit.changed", "unit.created", "unit.moved", "unit.merged", "member.moved",
                       "unit.closed"]


def test_grant_and_revoke(app, tree, make_user):
    person = make_user(phone="0911222333", member_of=tree["cell_a"])
    result = run(app, "grant", "0911 222 333", "reviewer", "--unit", str(tree["cell_a"].id))
    assert result.exit_code == 0, result.output
    assert run(app, "grant", "0911222333", "reviewer").exit_code != 0  # a reviewer needs their unit
    assert run(app, "grant", "0911222333", "editor").exit_code == 0
    db.session.expire_all()
    assert sorted((g.role, g.unit_id) for g in db.session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == person.id)) if g.role != "member") == [
        ("editor", None), ("reviewer", tree["cell_a"].id)]
    assert run(app, "revoke", "0911222333", "reviewer", "--unit", str(tree["cell_a"].id)).exit_code == 0
    missing = run(app, "revoke", "0911222333", "reviewer", "--unit", str(tree["cell_a"].id))
    assert missing.exit_code != 0
    nobody = run(app, "grant", "0900000000", "editor")
    assert nobody.exit_code != 0 and "0900000000" in nobody.output
    assert kinds() == ["role.granted", "role.granted", "role.revoked"]


def test_a_name_no_database_stores_is_refused_with_a_message(app, tree):
    result = run(app, "create", "Chi bộ\x00X", "--kind", "cell", "--parent", str(tree["grassroots"].id))
    assert result.exit_code != 0 and "không thể lưu" in result.output
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 4
