"""The demo organisation that `make run` loads on first start.

A fictional province, for trying the platform only: every account shares one
published password, so it must never be loaded into a real installation.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from learning.campaigns.operations import CampaignInput, create_campaign
from learning.core import db
from learning.evaluation.periods import create_period
from learning.lessons.authoring import KINDS
from learning.lessons.models import Lesson
from learning.org import accounts
from learning.org import units as org
from learning.org.models import Unit, User
from learning.study.answers import IncomingAnswer
from learning.study.attempts import start_attempt
from learning.study.reading import record_opened, record_read
from learning.study.submission import answer_by_form

DEMO_PASSWORD = "hoctap-demo"

PROVINCE = "Tỉnh ủy Minh Sơn (dữ liệu mẫu)"
# Each unit with its code: rosters name cells by code (docs/roster-sample.csv).
ORGANISATIONS = {
    ("Đảng bộ xã Tân Lập", "TL"): [("Chi bộ thôn Đồng Tâm", "TL-DT"), ("Chi bộ thôn Khuổi Nộc", "TL-KN")],
    ("Đảng bộ phường Quang Trung", "QT"): [("Chi bộ khu phố 1", "QT-KP1"), ("Chi bộ khu phố 2", "QT-KP2")],
}
# The grassroots organisations' committees review their whole organisation.
COMMITTEE_PHONES = {"TL": "0955000001", "QT": "0966000001"}
# The provincial committee's propaganda commission reviews the whole province.
PROVINCE_REVIEWER_PHONE = "0977000001"

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
    for (organisation_name, organisation_code), cells in ORGANISATIONS.items():
        organisation = org.add_unit(organisation_name, "grassroots", parent=province, code=organisation_code)
        accounts.create_user(full_name=f"Ủy viên Đảng ủy {organisation_code}", phone=COMMITTEE_PHONES[organisation_code],
                             password=DEMO_PASSWORD, unit=organisation,
                             roles=[("member", None), ("reviewer", organisation)])
        for cell_name, cell_code in cells:
            cell_number += 1
            cell = org.add_unit(cell_name, "cell", parent=organisation, code=cell_code)
            _add_cell_members(cell, cell_number)
    accounts.create_user(full_name="Ban Tuyên giáo Tỉnh ủy", phone=PROVINCE_REVIEWER_PHONE, password=DEMO_PASSWORD,
                         unit=province, roles=[("member", None), ("reviewer", province)])
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


def load_demo_period(today: date) -> None:
    """This year's evaluation period, with the default rules and the campaigns
    closing this year: the province's reviewer computes it (README's tour)."""
    admin = accounts.find_by_login(ADMIN_PHONE)
    create_period(admin, f"Đánh giá, xếp loại năm {today.year}", today.year, date(today.year, 1, 1),
                  date(today.year, 12, 31))


# How far each demo member got, by member number in the cell (1 is the
# secretary): a dashboard with something in every column, cells that differ.
_STUDY_BY_MEMBER = {1: "complete", 2: "complete", 3: "complete", 4: "failed", 5: "read", 6: "opened"}
# Who studies every lesson of both campaigns, by the same numbering.
_KEEN_MEMBERS = {2, 3}
_KEEN_LESSONS = ("68-NQ/TW", "66-NQ/TW", "366-QĐ/TW")
_REFLECTION_TEXT = " ".join([
    "Điều tôi tâm đắc nhất là yêu cầu đổi mới tư duy, coi khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "là đột phá quan trọng hàng đầu để phát triển lực lượng sản xuất hiện đại. Nghị quyết đặt người dân và doanh",
    "nghiệp ở vị trí trung tâm, là chủ thể của quá trình chuyển đổi số, và đòi hỏi mỗi cán bộ, đảng viên phải",
    "gương mẫu đi trước. Điểm mới là cơ chế thử nghiệm có kiểm soát, chấp nhận rủi ro trong nghiên cứu, và việc",
    "người đứng đầu trực tiếp chịu trách nhiệm về kết quả chuyển đổi số của cơ quan, đơn vị mình.",
    "Chi bộ chúng tôi sẽ số hoá sổ sách đảng viên, họp trực tuyến khi cần, hướng dẫn bà con dùng dịch vụ công",
    "trực tuyến, và mỗi đảng viên đăng ký một việc làm cụ thể để thực hiện nghị quyết trong công việc của mình,",
    "được kiểm điểm trong sinh hoạt chi bộ hằng tháng. Bản thân tôi sẽ học thêm kỹ năng số và giúp các hộ",
    "trong thôn cài đặt, sử dụng ứng dụng định danh điện tử."])


def load_demo_study() -> None:
    """Members of the first cells study the running campaign's first lesson
    through the real operations; the last cell has not begun. Reflections
    wait for their secretary's grade."""
    lesson = db.session.scalars(select(Lesson).where(Lesson.doc_number == "57-NQ/TW")).first()
    if lesson is None or not lesson.versions:
        return
    version = lesson.versions[-1]
    cells = db.session.scalars(select(Unit).where(Unit.kind == "cell", Unit.path.like("/%")).order_by(Unit.id))
    others = list(db.session.scalars(select(Lesson).where(Lesson.doc_number.in_(_KEEN_LESSONS))))
    for cell_index, cell in enumerate(cells):
        members = db.session.scalars(select(User).where(User.unit_id == cell.id).order_by(User.id)).all()
        for number, member in enumerate(members, start=1):
            how_far = _STUDY_BY_MEMBER.get(number + cell_index)  # each cell a little behind the one before
            if how_far is not None:
                _study(member, lesson, version, how_far)
            if number + cell_index in _KEEN_MEMBERS:  # a few study everything: the evaluation has all four levels
                for other in others:
                    _study(member, other, other.versions[-1], "complete")


def _study(member: User, lesson: Lesson, version, how_far: str) -> None:
    if how_far == "opened":
        record_opened(member, lesson)
        return
    record_read(member, lesson)
    if how_far == "read":
        return
    attempt = start_attempt(member, lesson, version)
    answers = []
    for question in version.questions:
        kind = KINDS[question.kind]
        right = kind.model_values(question.data)
        values = right if how_far == "complete" or not right else []
        answers.append(IncomingAnswer(question.key, values or ([_REFLECTION_TEXT] if not right else [])))
    answer_by_form(attempt, answers, submit=True, confirmed=True)
