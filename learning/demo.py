"""The demo organisation that `make run` loads on first start.

A fictional province, for trying the platform only: every account shares one
published password, so it must never be loaded into a real installation.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from learning.campaigns.operations import CampaignInput, create_campaign
from learning.core import db
from learning.lessons.models import Lesson
from learning.org import accounts
from learning.org import units as org
from learning.org.models import Unit

DEMO_PASSWORD = "hoctap-demo"

PROVINCE = "Tỉnh ủy Minh Sơn (dữ liệu mẫu)"
ORGANISATIONS = {
    "Đảng bộ xã Tân Lập": ["Chi bộ thôn Đồng Tâm", "Chi bộ thôn Khuổi Nộc"],
    "Đảng bộ phường Quang Trung": ["Chi bộ khu phố 1", "Chi bộ khu phố 2"],
}

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Nông", "Lường"]
_MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Thị Hồng", "Quốc", "Ngọc"]
_GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Hằng", "Khánh", "Lan", "Mạnh",
          "Nga", "Phúc", "Quỳnh", "Sơn", "Thảo", "Tuấn", "Uyên", "Việt", "Xuân", "Yến"]
MEMBERS_PER_CELL = 8


def demo_phone(cell_number: int, member_number: int) -> str:
    """0911000001 is cell 1's secretary, 0911000002 the next member, ..."""
    return f"09{cell_number}{cell_number}0000{member_number:02d}"


EDITOR_PHONE = "0988000001"
ADMIN_PHONE = "0999000001"


def is_loaded() -> bool:
    return db.session.scalars(select(Unit.id).where(Unit.code == "DEMO")).first() is not None


def load_demo_organisation() -> None:
    province = org.add_unit(PROVINCE, "province", code="DEMO")
    cell_number = 0
    for organisation_name, cells in ORGANISATIONS.items():
        organisation = org.add_unit(organisation_name, "grassroots", parent=province)
        for cell_name in cells:
            cell_number += 1
            cell = org.add_unit(cell_name, "cell", parent=organisation, code=f"DEMO-CB{cell_number:02d}")
            _add_cell_members(cell, cell_number)
    accounts.create_user(full_name="Lê Thị Biên Tập", phone=EDITOR_PHONE, password=DEMO_PASSWORD,
                         unit=province, roles=[("member", None), ("editor", None)])
    accounts.create_user(full_name="Trần Quản Trị", phone=ADMIN_PHONE, password=DEMO_PASSWORD,
                         unit=province, roles=[("member", None), ("admin", None)])


def _add_cell_members(cell, cell_number: int) -> None:
    for member_number in range(1, MEMBERS_PER_CELL + 1):
        seed = cell_number * MEMBERS_PER_CELL + member_number
        roles = [("member", None)]
        if member_number == 1:  # the cell's secretary reviews the cell
            roles.append(("reviewer", cell))
        accounts.create_user(
            full_name=f"{_FAMILY[seed % len(_FAMILY)]} {_MIDDLE[seed % len(_MIDDLE)]} {_GIVEN[seed % len(_GIVEN)]}",
            party_card_number=f"79{cell_number:02d}{member_number:04d}",
            phone=demo_phone(cell_number, member_number),
            password=DEMO_PASSWORD,
            unit=cell,
            birth_date=date(1960 + seed % 40, 1 + seed % 12, 1 + seed % 28),
            gender="female" if "Thị" in _MIDDLE[seed % len(_MIDDLE)] else "male",
            membership="probationary" if member_number == MEMBERS_PER_CELL else "full",
            roles=roles,
        )


def load_demo_campaigns(today: date) -> None:
    """Two campaigns for the whole demo province: one running, one overdue."""
    province = db.session.scalars(select(Unit).where(Unit.code == "DEMO")).one()
    admin = accounts.find_by_login(ADMIN_PHONE)
    by_number = {lesson.doc_number: lesson.id for lesson in db.session.scalars(select(Lesson))}

    def ids(*numbers: str) -> list[int]:
        return [by_number[n] for n in numbers if n in by_number]

    create_campaign(admin, CampaignInput(
        "Học tập, quán triệt các nghị quyết của Bộ Chính trị năm 2025", "",
        today - timedelta(days=7), today + timedelta(days=21),
        ids("57-NQ/TW", "68-NQ/TW", "66-NQ/TW"), [province.id]))
    create_campaign(admin, CampaignInput(
        "Quy định về đánh giá, xếp loại chất lượng", "",
        today - timedelta(days=30), today - timedelta(days=2),
        ids("366-QĐ/TW"), [province.id]))
