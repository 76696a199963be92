"""The audit log: written by the operations themselves, append-only, read and
filtered by admins only."""
import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from learning.audit.log import changes, record
from learning.audit.models import AuditEntry, AuditKind
from learning.core import db


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Trần Quản Trị")


def _entries(page: str) -> int:
    return page.count('class="audit-entry"')


def test_an_entry_keeps_names_and_the_unit_path_as_they_were(app, tree, make_user):
    member = make_user(name="Lò Văn Cũ")
    record(AuditKind.MEMBER_CHANGED, actor=None, unit=tree["cell_a"], subject=member,
           before={"phone": "0900000001"}, after={"phone": "0900000002"})
    db.session.commit()
    tree["cell_a"].name = "Chi bộ Mới"
    member.full_name = "Lò Văn Mới"
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.unit_name, entry.subject_name, entry.unit_path) == ("Chi bộ A", "Lò Văn Cũ", tree["cell_a"].path)
    assert entry.actor_id is None and entry.actor_name == ""


def test_changes_keep_only_what_changed():
    assert changes({"name": "A", "code": "X", "kind": "cell"}, {"name": "B", "code": "X", "kind": "cell"}) == (
        {"name": "A"}, {"name": "B"})


def test_only_admins_read_the_log(client, login, make_user):
    for role in ("member", "reviewer", "editor"):
        login(make_user(role, name=f"Người {role}"))
        assert client.get("/audit").status_code == 403
        client.submit("/logout", token_from="/")
    assert client.get("/audit").status_code == 302  # anonymous: sent to sign in


def test_admins_filter_by_person_unit_kind_and_day(client, login, admin, tree, make_user):
    member_a = make_user(name="Hoàng Văn Học", member_of=tree["cell_a"])
    member_b = make_user(name="Phạm Thị Bình", member_of=tree["cell_b"])
    tree["cell_a"].code = "CB-A"
    old = datetime(2026, 3, 10, 3, 0, tzinfo=timezone.utc)
    record(AuditKind.EXTRA_ATTEMPT, actor=admin, unit=tree["cell_a"], subject=member_a, reason="Ốm", at=old)
    record(AuditKind.GRADE, actor=admin, unit=tree["cell_b"], subject=member_b, after={"points": 8})
    record(AuditKind.ROLE_GRANTED, actor=admin, unit=tree["grassroots"], after={"role": "reviewer"})
    db.session.commit()
    login(admin)
    everything = client.get("/audit").get_data(as_text=True)
    assert _entries(everything) == 3 and "Phạm Thị Bình" in everything and "Ốm" in everything
    assert _entries(client.get("/audit?person=học").get_data(as_text=True)) == 1
    by_unit = client.get("/audit?unit=cb-a").get_data(as_text=True)
    assert _entries(by_unit) == 1 and "Hoàng Văn Học" in by_unit
    assert _entries(client.get("/audit?kind=grade.recorded").get_data(as_text=True)) == 1
    assert _entries(client.get("/audit?until=10/03/2026").get_data(as_text=True)) == 1
    assert _entries(client.get("/audit?since=11/03/2026").get_data(as_text=True)) == 2
    none = client.get("/audit?person=Không Ai").get_data(as_text=True)
    assert _entries(none) == 0 and "Không có mục nào" in none


@pytest.mark.parametrize("query, field_message", [
    ("since=31/02/2026", "dd/mm/yyyy"),
    ("unit=KHONG-CO", "KHONG-CO"),
    ("kind=drop.table", "chọn một loại"),
    ("before=abc", "số nguyên"),
])
def test_bad_filters_are_a_400_naming_the_field(client, login, admin, query, field_message):
    login(admin)
    response = client.get(f"/audit?{query}")
    assert response.status_code == 400 and field_message in response.get_data(as_text=True)


def test_the_log_pages_from_newest_to_oldest(client, login, admin, tree):
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for n in range(55):
        record(AuditKind.UNIT_CHANGED, actor=admin, unit=tree["cell_a"], after={"n": n}, at=start + timedelta(hours=n))
    db.session.commit()
    login(admin)
    first = client.get("/audit").get_data(as_text=True)
    assert _entries(first) == 50 and "<ins>54</ins>" in first and "<ins>4</ins>" not in first
    [link] = re.findall(r'href="(/audit\?[^"]*before=[0-9]+[^"]*)"', first)
    second = client.get(html.unescape(link)).get_data(as_text=True)
    assert _entries(second) == 5 and "<ins>0</ins>" in second and "<ins>54</ins>" not in second
    assert "before=" not in second.split("</ol>")[-1]  # the last page links no further


def test_stored_codes_show_by_their_vietnamese_names(client, login, admin, tree):
    record(AuditKind.ROLE_GRANTED, actor=admin, unit=tree["cell_a"], after={"role": "reviewer", "unit": "Chi bộ A"})
    record(AuditKind.UNIT_CREATED, actor=admin, unit=tree["cell_a"], after={"name": "Tổ đảng 2", "kind": "group"})
    record(AuditKind.MEMBER_CHANGED, actor=admin, unit=tree["cell_a"],
           before={"membership": "probationary", "exempt": True, "gender": None},
           after={"membership": "full", "exempt": False, "gender": "female"})
    record(AuditKind.GRADE, actor=admin, unit=tree["cell_a"], after={"points": 1, "passed": True})
    db.session.commit()
    login(admin)
    page = client.get("/audit").get_data(as_text=True)
    for shown in ("<ins>người đánh giá</ins>", "<ins>tổ đảng</ins>", "<del>Đảng viên dự bị</del> → "
                  "<ins>Đảng viên chính thức</ins>", "<del>có</del> → <ins>không</ins>", "<del>—</del> → <ins>nữ</ins>",
                  "<ins>1</ins>", "<ins>có</ins>", "<ins>Chi bộ A</ins>"):
        assert shown in page, shown
    for code in ("reviewer", "group", "probationary", "female", "True", "False", "None"):
        assert f">{code}<" not in page, code


def test_times_lists_and_free_texts_read_as_words(client, login, admin, tree):
    """An expiry in Vietnam's time (UTC+7), a list without brackets, a
    structure without Python's quotes, and each free text by what it is."""
    expires = datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)
    record(AuditKind.ACTIVATION_ISSUED, actor=admin, unit=tree["cell_a"], after={"expires_at": expires})
    record(AuditKind.GRADE, actor=admin, unit=tree["cell_a"], after={"levels": ["Nắm vững", "Có liên hệ"],
                                                                     "definition": {"tiêu chí": [1, 2]}},
           reason="Viết tốt.")
    record(AuditKind.MEMBER_CREATED, actor=admin, unit=tree["cell_a"], after={"full_name": "Lò Văn Mới"},
           reason="danh-sach.csv")
    record(AuditKind.EXTRA_ATTEMPT, actor=admin, unit=tree["cell_a"], after={"extra_attempts": 1}, reason="Ốm")
    db.session.commit()
    login(admin)
    page = html.unescape(client.get("/audit").get_data(as_text=True))
    assert "<ins>01/01/2027 00:30</ins>" in page and "2026-12-31T" not in page
    assert "<ins>Nắm vững, Có liên hệ</ins>" in page and "['" not in page
    assert '<ins>{"tiêu chí": [1, 2]}</ins>' in page
    assert "Nhận xét: Viết tốt." in page and "Từ tệp: danh-sach.csv" in page and "Lý do: Ốm" in page


def test_every_stored_code_has_its_name_on_the_log(app):
    """The value labels mirror enums of the areas above audit: none may be missing, or named otherwise."""
    from learning.audit.models import VALUE_LABELS, value_label
    from learning.core.permissions import Role
    from learning.evaluation.rules import Level
    from learning.org.models import UnitKind
    from learning.org.roster.parse import _GENDERS
    from learning.review.members import Membership
    from learning.review.scales import SCALES
    with app.test_request_context("/"):
        for field, enum in (("role", Role), ("kind", UnitKind), ("membership", Membership), ("level", Level),
                            ("suggested", Level)):
            assert {member.value: member.label for member in enum} == {
                code: value_label(field, code) for code in VALUE_LABELS[field] if code in set(enum)}, field
            assert set(enum) <= set(VALUE_LABELS[field]), field
        for field in ("kind", "scale"):
            assert {code: str(kind.label) for code, kind in SCALES.items()} == {
                code: value_label(field, code) for code in SCALES}, field
        assert set(_GENDERS.values()) == set(VALUE_LABELS["gender"])
        assert value_label("active", True) == "có" and value_label("active", False) == "không"
        assert value_label("points", True) is True and value_label("role", "unknown") == "unknown"
