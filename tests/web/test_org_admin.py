"""The organisation pages (/org): admins reshape the whole tree, a reviewer
their own subtree; every change is audited; a reviewer of another subtree
sees none of it (404); a move or a merge keeps members' study history."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from learning.core import db
from learning.models import AuditEntry, Campaign, LessonProgress, RoleGrant, Unit, User
from learning.org import signals
from learning.org import units as org
from learning.org.models import Role


@pytest.fixture
def shape(tree, make_user):
    """The tree plus a second organisation (with a cell) and a group in cell A;
    a reviewer of the first organisation, one of the second, members."""
    other_org = org.add_unit("Đảng bộ phường Khác", "grassroots", parent=tree["province"])
    cell_c = org.add_unit("Chi bộ C", "cell", parent=other_org, code="cc")
    group = org.add_unit("Tổ đảng 1", "group", parent=tree["cell_a"])
    db.session.commit()
    reviewer = make_user("reviewer", unit=tree["grassroots"], name="Phạm Văn Duyệt", member_of=tree["grassroots"])
    other = make_user("reviewer", unit=other_org, name="Hoàng Thị Khác", member_of=other_org)
    member = make_user(name="Trần Thị Bình", member_of=tree["cell_a"])
    return {**tree, "other_org": other_org, "cell_c": cell_c, "group": group, "reviewer": reviewer,
            "other": other, "member": member}


def sign_in_as(client, login, user):
    client.submit("/logout", token_from="/")
    return login(user)


def audit(kind: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind).order_by(AuditEntry.id)))


def unit(unit_id: int) -> Unit:
    db.session.expire_all()
    return db.session.get(Unit, unit_id)


def post(client, url: str, data: dict | None = None):
    """A form sent from the organisation pages (the token of any page will do)."""
    return client.submit(url, data, token_from="/")


def text(response) -> str:
    return response.get_data(as_text=True)


def routes(shape, grant_id: int) -> list[tuple[str, str]]:
    a = shape["cell_a"].id
    return [("GET", f"/org/units/{a}"), ("POST", f"/org/units/{a}/edit"), ("POST", f"/org/units/{a}/children"),
            ("POST", f"/org/units/{a}/move"), ("POST", f"/org/units/{a}/merge"), ("POST", f"/org/units/{a}/close"),
            ("POST", f"/org/units/{a}/members/move"), ("POST", f"/org/units/{a}/grants"),
            ("POST", f"/org/grants/{grant_id}/revoke")]


def _a_grant_in_cell_a(shape, make_user) -> int:
    holder = make_user("reviewer", unit=shape["cell_a"], name="Lê Văn Giữ")
    return next(g.id for g in holder.grants if g.role == Role.REVIEWER)


# -- who may reach what -----------------------------------------------------------------

def test_anonymous_people_are_sent_to_sign_in_and_members_refused(client, login, shape, make_user):
    grant_id = _a_grant_in_cell_a(shape, make_user)
    all_routes = [("GET", "/org/"), ("POST", "/org/units"), *routes(shape, grant_id)]
    for method, url in all_routes:
        response = client.open(url, method=method, data={"csrf_token": client.csrf_token("/login")})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login(shape["member"])
    token = client.csrf_token("/")
    for method, url in all_routes:
        response = client.open(url, method=method, data={"csrf_token": token, "name": "X", "kind": "cell"})
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"


def test_a_reviewer_of_another_subtree_gets_404_on_every_route(client, login, shape, make_user):
    grant_id = _a_grant_in_cell_a(shape, make_user)
    login(shape["other"])
    token = client.csrf_token("/")
    data = {"csrf_token": token, "name": "Đổi tên", "kind": "cell", "target_id": str(shape["cell_c"].id),
            "member": str(shape["member"].id), "role": "reviewer", "person": shape["other"].phone}
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    for method, url in routes(shape, grant_id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
    assert client.get(f"/org/find?code={shape['cell_a'].id}").headers["Location"].endswith("/org/")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert unit(shape["cell_a"].id).name == "Chi bộ A"
    # Their own subtree is theirs; the admins' top-level form is not.
    assert client.get(f"/org/units/{shape['cell_c'].id}").status_code == 200
    assert client.submit("/org/units", {"name": "Tỉnh mới", "kind": "province"}, token_from="/").status_code == 403


def test_the_index_shows_the_reviewers_subtree_as_a_tree(client, login, shape):
    login(shape["reviewer"])
    html = text(client.get("/org/"))
    assert "Đảng bộ xã Thử nghiệm" in html and "Chi bộ A" in html and "Chi bộ B" in html
    assert "Chi bộ C" not in html and "Đảng bộ phường Khác" not in html
    assert f'href="/org/units/{shape["cell_a"].id}"' in html
    cell_a = html[html.index("Chi bộ A"):html.index("Chi bộ B")]
    assert "1 đơn vị trực thuộc" in cell_a and "1 đảng viên" in cell_a
    # Two levels only: the group inside cell A is reached by drilling down.
    assert "Tổ đảng 1" not in html
    assert "Tổ đảng 1" in text(client.get(f"/org/units/{shape['cell_a'].id}"))
    assert 'href="/org/"' in html and "Tổ chức" in html  # the menu's link


def test_the_menu_links_the_organisation_for_reviewers_only(client, login, shape):
    login(shape["member"])
    assert 'href="/org/"' not in text(client.get("/"))


# -- creating and changing ------------------------------------------------------------------

def test_a_reviewer_creates_a_unit_beneath_theirs_with_an_upper_cased_code(client, login, shape):
    login(shape["reviewer"])
    response = post(client, f"/org/units/{shape['grassroots'].id}/children",
                             {"name": "  Chi bộ   Mới ", "kind": "cell", "code": "cb-moi"})
    assert response.status_code == 302
    created = db.session.scalars(select(Unit).where(Unit.name == "Chi bộ Mới")).one()
    assert created.code == "CB-MOI" and created.parent_id == shape["grassroots"].id
    assert created.path == f"{shape['grassroots'].path}{created.id}/"
    [entry] = audit("unit.created")
    assert entry.actor_id == shape["reviewer"].id and entry.unit_id == created.id
    assert entry.after["code"] == "CB-MOI" and entry.after["parent"] == "Đảng bộ xã Thử nghiệm"
    # Codes are unique whatever their case.
    again = post(client, f"/org/units/{shape['grassroots'].id}/children", {"name": "Khác", "kind": "cell",
                                                                           "code": "Cb-Moi"})
    assert again.status_code == 400 and "CB-MOI" in text(again) and "Chi bộ Mới" in text(again)


def test_a_unit_needs_a_name_and_a_known_kind(client, login, shape):
    login(shape["reviewer"])
    url = f"/org/units/{shape['grassroots'].id}/children"
    response = post(client, url, {"name": "  ", "kind": "cell"})
    assert response.status_code == 400 and "Hãy đặt tên cho đơn vị." in text(response)
    response = post(client, url, {"name": "Chi bộ X", "kind": "district"})
    assert response.status_code == 400 and "Hãy chọn loại đơn vị." in text(response)
    response = post(client, url, {"name": "Chi bộ\x00X", "kind": "cell"})
    assert response.status_code == 400 and "Tên" in text(response) and "không thể lưu" in text(response)
    assert not audit("unit.created")


def test_a_reviewer_renames_their_own_unit_and_changes_its_code(client, login, shape):
    login(shape["reviewer"])
    response = post(client, f"/org/units/{shape['grassroots'].id}/edit", {"name": "Đảng bộ xã Tân Tiến",
                                                                           "code": "tt"})
    assert response.status_code == 302
    assert (unit(shape["grassroots"].id).name, unit(shape["grassroots"].id).code) == ("Đảng bộ xã Tân Tiến", "TT")
    [entry] = audit("unit.changed")
    assert entry.before == {"name": "Đảng bộ xã Thử nghiệm", "code": None}
    assert entry.after == {"name": "Đảng bộ xã Tân Tiến", "code": "TT"}
    # The unit above theirs is not theirs.
    assert client.submit(f"/org/units/{shape['province'].id}/edit", {"name": "X"},
                         token_from="/").status_code == 404


def test_a_reviewer_cannot_move_merge_or_close_the_unit_they_review(client, login, shape):
    login(shape["reviewer"])
    g = shape["grassroots"].id
    for action, data in (("move", {"target_id": str(shape["cell_a"].id)}),
                         ("merge", {"target_id": str(shape["cell_a"].id)}), ("close", {})):
        response = client.submit(f"/org/units/{g}/{action}", data, token_from=f"/org/units/{g}")
        assert response.status_code == 400, action
        assert "Chỉ các đơn vị bên dưới" in text(response)
    assert unit(g).active and unit(g).parent_id == shape["province"].id


# -- moving -------------------------------------------------------------------------------

def test_a_move_rewrites_the_whole_subtree_and_keeps_members_history(client, login, shape, make_user, publish_file):
    lesson = publish_file()
    member = shape["member"]
    db.session.add(LessonProgress(user_id=member.id, lesson_id=lesson.id, read_at=datetime.now(timezone.utc)))
    db.session.commit()
    admin = make_user("admin", name="Quản Trị Viên")
    login(admin)
    a, group = shape["cell_a"], shape["group"]
    old_path = a.path
    heard = []
    receiver = lambda _sender, **kw: heard.append(kw)  # noqa: E731
    signals.members_moved.connect(receiver)
    try:
        response = post(client, f"/org/units/{a.id}/move", {"target_id": str(shape["other_org"].id)})
    finally:
        signals.members_moved.disconnect(receiver)
    assert response.status_code == 302
    # The units above count these members differently now: the roll-ups are told.
    in_cell_a = sorted(db.session.scalars(select(User.id).where(User.unit_id == a.id)))
    assert member.id in in_cell_a and admin.id in in_cell_a
    assert heard == [{"unit_ids": [shape["grassroots"].id, shape["other_org"].id], "member_ids": in_cell_a}]
    moved, moved_group = unit(a.id), unit(group.id)
    assert moved.parent_id == shape["other_org"].id
    assert moved.path == f"{shape['other_org'].path}{a.id}/"
    assert moved_group.path == f"{moved.path}{group.id}/" and moved_group.parent_id == a.id
    # Every path is its parent's path plus its own id, all over the tree.
    for u in db.session.scalars(select(Unit)):
        assert u.path == (u.parent.path if u.parent else "/") + f"{u.id}/", u
    # The member moved with the cell: same person, same study record.
    db.session.expire_all()
    assert db.session.get(User, member.id).unit_id == a.id
    [progress] = db.session.scalars(select(LessonProgress)).all()
    assert progress.user_id == member.id and progress.read_at is not None
    [entry] = audit("unit.moved")
    assert entry.before == {"path": old_path, "parent": "Đảng bộ xã Thử nghiệm"}
    assert entry.after == {"path": moved.path, "parent": "Đảng bộ phường Khác"}
    assert entry.actor_id == admin.id


def test_a_unit_cannot_move_under_itself_or_its_descendant(client, login, shape, make_user):
    login(make_user("admin"))
    a = shape["cell_a"].id
    for target in (shape["cell_a"], shape["group"]):
        response = post(client, f"/org/units/{a}/move", {"target_id": str(target.id)})
        assert response.status_code == 400 and "vào chính nó hoặc vào một đơn vị bên dưới nó" in text(response)
    assert unit(a).path == shape["cell_a"].path and not audit("unit.moved")


def test_a_reviewer_moves_within_their_subtree_only(client, login, shape):
    login(shape["reviewer"])
    group = shape["group"].id
    outside = post(client, f"/org/units/{group}/move", {"target_code": "CC"})
    assert outside.status_code == 400 and "không có đơn vị nào" in text(outside).lower()
    assert unit(group).parent_id == shape["cell_a"].id
    inside = post(client, f"/org/units/{group}/move", {"target_code": str(shape["cell_b"].id)})
    assert inside.status_code == 302 and unit(group).parent_id == shape["cell_b"].id


def test_a_big_scope_types_the_target_unit_instead_of_choosing_from_a_list(client, login, shape, monkeypatch):
    from learning.org import admin_views
    login(shape["reviewer"])
    page = text(client.get(f"/org/units/{shape['cell_a'].id}"))
    assert 'name="target_id"' in page and 'name="target_code"' not in page
    monkeypatch.setattr(admin_views, "SELECT_LIMIT", 2)
    page = text(client.get(f"/org/units/{shape['cell_a'].id}"))
    assert 'name="target_code"' in page and "<select" in page and 'name="target_id"' not in page


# -- merging and closing ---------------------------------------------------------------------

def test_a_merge_moves_members_units_and_campaigns_and_closes_the_source(client, login, shape, make_user,
                                                                      publish_file):
    lesson = publish_file()
    a, b, group, member = shape["cell_a"], shape["cell_b"], shape["group"], shape["member"]
    campaign = Campaign(title="Đợt học", opens_on=datetime(2030, 1, 1).date(), closes_on=datetime(2030, 2, 1).date(),
                        lessons=[lesson], units=[a])
    db.session.add(campaign)
    db.session.commit()
    heard = []
    receiver = lambda _sender, **kw: heard.append(kw)  # noqa: E731
    signals.members_moved.connect(receiver)
    try:
        login(shape["reviewer"])
        response = post(client, f"/org/units/{a.id}/merge", {"target_id": str(b.id)})
    finally:
        signals.members_moved.disconnect(receiver)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/org/units/{b.id}#main")
    db.session.expire_all()
    assert db.session.get(User, member.id).unit_id == b.id
    assert unit(group.id).parent_id == b.id and unit(group.id).path == f"{b.path}{group.id}/"
    assert not unit(a.id).active and unit(a.id).path == a.path  # kept, closed, for history
    assert [u.id for u in db.session.get(Campaign, campaign.id).units] == [b.id]
    moved_ids = {u.id for u in db.session.scalars(select(User).where(User.unit_id == b.id))}
    assert heard == [{"unit_ids": [a.id, b.id], "member_ids": sorted(moved_ids)}] and member.id in moved_ids
    [entry] = audit("unit.merged")
    assert entry.unit_id == a.id and entry.after["into"] == "Chi bộ B" and entry.after["units_moved"] == 1
    assert audit("campaign.changed")[0].object_id == campaign.id
    assert {e.subject_id for e in audit("member.moved")} == moved_ids
    # The member's page now is B's.
    assert "Trần Thị Bình" in text(client.get(f"/org/units/{b.id}"))


def test_a_merge_passes_the_merged_units_reviewers_to_the_target(client, login, shape, make_user):
    a, b = shape["cell_a"], shape["cell_b"]
    secretary = make_user("reviewer", unit=a, name="Lê Văn Giữ")
    both = make_user("reviewer", unit=a, name="Đỗ Thị Hai")
    grant_on_b = RoleGrant(user_id=both.id, role="reviewer", unit_id=b.id)
    db.session.add(grant_on_b)
    db.session.commit()
    login(secretary)
    assert client.get(f"/org/units/{b.id}").status_code == 404
    sign_in_as(client, login, shape["reviewer"])
    assert post(client, f"/org/units/{a.id}/merge", {"target_id": str(b.id)}).status_code == 302
    db.session.expire_all()
    # Nobody's grant is left on the closed unit; nobody holds the same role twice.
    assert db.session.scalars(select(RoleGrant).where(RoleGrant.unit_id == a.id)).all() == []
    assert sorted((g.user_id, g.role) for g in db.session.scalars(select(RoleGrant).where(RoleGrant.unit_id == b.id))
                  ) == sorted([(secretary.id, "reviewer"), (both.id, "reviewer")])
    assert db.session.get(RoleGrant, grant_on_b.id) is not None  # the one already on B stays
    sign_in_as(client, login, secretary)
    page = text(client.get(f"/org/units/{b.id}"))
    assert "Chi bộ B" in page and "Trần Thị Bình" in page  # the merged cell's reviewer reviews B now
    [passed] = audit("role.granted")
    assert (passed.subject_id, passed.unit_id, passed.before, passed.after) == (
        secretary.id, b.id, {"unit": "Chi bộ A"}, {"role": "reviewer", "unit": "Chi bộ B"})
    [dropped] = audit("role.revoked")
    assert (dropped.subject_id, dropped.unit_id, dropped.after) == (both.id, a.id, {"merged_into": "Chi bộ B"})
    assert audit("unit.merged")[0].after["reviewers_moved"] == 2
    sign_in_as(client, login, make_user("admin", name="Trần Quản Trị"))
    log = text(client.get(f"/audit?person={secretary.full_name}"))
    assert "giao vai trò" in log
    assert "<del>Chi bộ A</del> → <ins>Chi bộ B</ins>" in log


def test_a_unit_cannot_merge_into_itself_or_beneath_itself(client, login, shape, make_user):
    login(make_user("admin"))
    a = shape["cell_a"].id
    assert post(client, f"/org/units/{a}/merge", {"target_id": str(a)}).status_code == 400
    response = post(client, f"/org/units/{a}/merge", {"target_id": str(shape["group"].id)})
    assert response.status_code == 400 and "bên dưới nó" in text(response)
    assert unit(a).active


def test_a_unit_closes_only_when_empty_and_says_how_many_remain(client, login, shape):
    login(shape["reviewer"])
    a = shape["cell_a"].id
    response = post(client, f"/org/units/{a}/close")
    assert response.status_code == 400
    assert "còn 1 đảng viên đang hoạt động và 1 đơn vị" in text(response)
    assert post(client, f"/org/units/{shape['group'].id}/close").status_code == 302
    moved = post(client, f"/org/units/{a}/members/move", {"member": str(shape["member"].id),
                                                            "target_id": str(shape["cell_b"].id)})
    assert moved.status_code == 302
    assert post(client, f"/org/units/{a}/close").status_code == 302
    assert not unit(a).active
    assert [e.unit_id for e in audit("unit.closed")] == [shape["group"].id, a]


# -- members ----------------------------------------------------------------------------------

def test_members_are_listed_in_vietnamese_order_with_their_status_and_paginated(client, login, shape, make_user,
                                                                               monkeypatch):
    a = shape["cell_a"]
    make_user(name="Nguyễn Văn An", member_of=a, membership="probationary")
    make_user(name="Lê Thị Ánh", member_of=a, exempt=True)
    make_user(name="Đỗ Văn Đức", member_of=a)
    login(shape["reviewer"])
    html = text(client.get(f"/org/units/{a.id}"))
    names = ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Thị Bình", "Đỗ Văn Đức"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    an = html[html.index("Nguyễn Văn An"):]
    assert "dự bị" in an[:200] and "miễn sinh hoạt" in html[html.index("Lê Thị Ánh"):][:200]
    monkeypatch.setattr(org, "MEMBERS_PER_PAGE", 2)
    first = text(client.get(f"/org/units/{a.id}"))
    assert "Lê Thị Ánh" in first and "Trần Thị Bình" not in first and "page=2" in first
    second = text(client.get(f"/org/units/{a.id}?page=2"))
    assert "Trần Thị Bình" in second and "Đỗ Văn Đức" in second and "Nguyễn Văn An" not in second


def test_moving_members_to_another_cell_is_audited_and_signalled(client, login, shape, make_user):
    second = make_user(name="Vũ Văn Hai", member_of=shape["cell_a"])
    heard = []
    receiver = lambda _sender, **kw: heard.append(kw)  # noqa: E731
    signals.members_moved.connect(receiver)
    try:
        login(shape["reviewer"])
        response = post(client, f"/org/units/{shape['cell_a'].id}/members/move",
                                 {"member": [str(shape["member"].id), str(second.id)],
                                  "target_id": str(shape["cell_b"].id)})
    finally:
        signals.members_moved.disconnect(receiver)
    assert response.status_code == 302
    db.session.expire_all()
    assert {u.unit_id for u in db.session.scalars(select(User).where(User.id.in_([shape["member"].id, second.id])))} \
        == {shape["cell_b"].id}
    entries = audit("member.moved")
    assert sorted(e.subject_id for e in entries) == sorted([shape["member"].id, second.id])
    assert entries[0].before["unit"] == "Chi bộ A" and entries[0].after["unit"] == "Chi bộ B"
    assert heard == [{"unit_ids": [shape["cell_a"].id, shape["cell_b"].id],
                      "member_ids": sorted([shape["member"].id, second.id])}]


def test_members_cannot_be_moved_out_of_the_scope_nor_without_a_choice(client, login, shape):
    login(shape["reviewer"])
    url = f"/org/units/{shape['cell_a'].id}/members/move"
    response = post(client, url, {"member": str(shape["member"].id), "target_code": "CC"})
    assert response.status_code == 400 and "không có đơn vị nào" in text(response).lower()
    response = post(client, url, {"target_id": str(shape["cell_b"].id)})
    assert response.status_code == 400 and "Đảng viên" in text(response)
    response = post(client, url, {"member": str(shape["other"].id), "target_id": str(shape["cell_b"].id)})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, shape["other"].id).unit_id == shape["other_org"].id
    assert not audit("member.moved")


# -- roles ------------------------------------------------------------------------------------

def test_a_reviewer_grants_and_revokes_the_reviewer_role_in_their_subtree(client, login, shape):
    login(shape["reviewer"])
    member = shape["member"]
    response = post(client, f"/org/units/{shape['cell_a'].id}/grants", {"person": member.phone, "role": "reviewer"})
    assert response.status_code == 302
    grant = db.session.scalars(select(RoleGrant).where(RoleGrant.user_id == member.id,
                                                       RoleGrant.role == "reviewer")).one()
    assert grant.unit_id == shape["cell_a"].id
    grant_id = grant.id
    [entry] = audit("role.granted")
    assert entry.subject_id == member.id and entry.after == {"role": "reviewer", "unit": "Chi bộ A"}
    assert "Trần Thị Bình" in text(client.get(f"/org/units/{shape['cell_a'].id}"))
    response = client.submit(f"/org/grants/{grant_id}/revoke", token_from=f"/org/units/{shape['cell_a'].id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RoleGrant, grant_id) is None
    assert db.session.get(User, member.id).unit_id == shape["cell_a"].id  # revoking ends nothing else
    [entry] = audit("role.revoked")
    assert entry.before == {"role": "reviewer", "unit": "Chi bộ A"} and entry.actor_id == shape["reviewer"].id


def test_a_reviewer_grants_neither_editor_nor_admin_nor_to_people_outside(client, login, shape):
    login(shape["reviewer"])
    url = f"/org/units/{shape['cell_a'].id}/grants"
    for role in ("editor", "admin"):
        response = post(client, url, {"person": shape["member"].phone, "role": role})
        assert response.status_code == 400 and "Vai trò" in text(response)
    response = post(client, url, {"person": shape["other"].phone, "role": "reviewer"})
    assert response.status_code == 400 and "Không có ai" in text(response)
    assert not audit("role.granted")


def test_nobody_revokes_their_own_last_reviewer_or_admin_grant(client, login, shape, make_user):
    login(shape["reviewer"])
    own = next(g for g in shape["reviewer"].grants if g.role == "reviewer")
    response = client.submit(f"/org/grants/{own.id}/revoke", token_from="/org/")
    assert response.status_code == 400 and "của chính mình" in text(response)
    admin = make_user("admin", name="Quản Trị Viên")
    sign_in_as(client, login, admin)
    own = next(g for g in admin.grants if g.role == "admin")
    assert client.submit(f"/org/grants/{own.id}/revoke", token_from="/org/").status_code == 400
    db.session.expire_all()
    assert db.session.get(RoleGrant, own.id) is not None and not audit("role.revoked")


def test_admins_grant_editor_everywhere_and_list_it(client, login, shape, make_user):
    login(make_user("admin", name="Quản Trị Viên"))
    response = post(client, f"/org/units/{shape['cell_a'].id}/grants",
                             {"person": shape["member"].phone, "role": "editor"})
    assert response.status_code == 302
    grant = db.session.scalars(select(RoleGrant).where(RoleGrant.role == "editor")).one()
    assert grant.user_id == shape["member"].id and grant.unit_id is None
    index = text(client.get("/org/"))
    assert "Trần Thị Bình" in index and f"/org/grants/{grant.id}/revoke" in index
    assert client.submit(f"/org/grants/{grant.id}/revoke", token_from="/org/").status_code == 302
    assert [e.before["role"] for e in audit("role.revoked")] == ["editor"]


def test_a_reviewer_cannot_revoke_an_editor(client, login, shape, make_user):
    editor = make_user("editor", name="Biên Tập Viên", member_of=shape["cell_a"])
    grant = next(g for g in editor.grants if g.role == "editor")
    login(shape["reviewer"])
    assert client.submit(f"/org/grants/{grant.id}/revoke", token_from="/org/").status_code == 404


# -- the top of the tree -------------------------------------------------------------------

def test_admins_create_a_unit_at_the_top_and_find_units_by_code(client, login, shape, make_user):
    login(make_user("admin"))
    response = client.submit("/org/units", {"name": "Tỉnh ủy Mới", "kind": "province", "code": "tm"},
                             token_from="/org/")
    assert response.status_code == 302
    created = db.session.scalars(select(Unit).where(Unit.code == "TM")).one()
    assert created.parent_id is None and created.path == f"/{created.id}/"
    assert client.get("/org/find?code=tm").headers["Location"].endswith(f"/org/units/{created.id}")
    assert "Tỉnh ủy Mới" in text(client.get("/org/"))


def test_the_unit_page_shows_breadcrumbs_linking_only_what_the_reviewer_covers(client, login, shape):
    login(shape["reviewer"])
    html = text(client.get(f"/org/units/{shape['group'].id}"))
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert "Tỉnh ủy Thử nghiệm" in crumbs and f'/org/units/{shape["province"].id}"' not in crumbs
    assert f'/org/units/{shape["grassroots"].id}"' in crumbs and f'/org/units/{shape["cell_a"].id}"' in crumbs
