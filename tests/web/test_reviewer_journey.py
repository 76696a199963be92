"""Issue 9's journey, end to end, through the HTTP routes only, on one small
organisation: a grassroots organisation's reviewer imports the roster, issues
activation codes, follows a member who used up their attempts, gives one more,
grades the reflection with the campaign's rubric; an admin finds every step
in the audit log; a reviewer of another grassroots organisation sees none of it."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from learning.audit.models import AuditKind
from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.models import Attempt, Grade, Job, User
from learning.org import units as org
from tests.conftest import FormClient
from tests.web.test_reflection_grading import RUBRIC_FORM
from tests.web.test_study import correct_values, form_of, nothing_but_the_reflection

HEADER = "Họ và tên,Số thẻ đảng viên,Ngày sinh,Giới tính,Mã chi bộ,Điện thoại,Trạng thái,Ngày vào Đảng"
AN = "Nguyễn Văn An,79010001,03/04/1980,Nam,CB-A,0912 345 001,Chính thức,01/05/2005"
BINH = "Lê Thị Bình,79010002,1985-12-31,Nữ,cb-a,+84 912 345 002,Dự bị,"
CUONG = "Trần Văn Cường,79010003,,,CB-B,,Chính thức,"
BAD_CARD = "Lê Thị Bình,7901ABCD,1985-12-31,Nữ,cb-a,+84 912 345 002,Dự bị,"
UNKNOWN_CELL = "Trần Văn Cường,79010003,,,CB-Z,,Chính thức,"
SLIP = re.compile(r'class="slip-name">([^<]+)<.*?class="slip-code">([A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})<', re.S)
FIRST_PASSWORD, SECOND_PASSWORD = "mat-khau-dau-2026", "mat-khau-moi-2026"


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.fixture(autouse=True)
def many_sign_ins(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_PER_ADDRESS", "100000 per minute")


@pytest.fixture
def world(tree, make_user, publish_file):
    """Grassroots organisation DB-XA with cells CB-A and CB-B; another
    grassroots organisation with cell CB-C; the lesson 57-NQ/TW (it ends with a
    reflection) in a campaign the grassroots reviewer made for their organisation."""
    tree["grassroots"].code, tree["cell_a"].code, tree["cell_b"].code = "DB-XA", "CB-A", "CB-B"
    other = org.add_unit("Đảng bộ xã Khác", "grassroots", parent=tree["province"], code="DB-KHAC")
    org.add_unit("Chi bộ C", "cell", parent=other, code="CB-C")
    db.session.commit()
    reviewer = make_user("reviewer", unit=tree["grassroots"], member_of=None, name="Bí Thư Xã", phone="0977000001")
    outsider = make_user("reviewer", unit=other, member_of=None, name="Bí Thư Xã Khác", phone="0977000002")
    admin = make_user("admin", member_of=None, name="Quản Trị", phone="0977000003")
    lesson = publish_file("57-nq-tw-2024.md")
    today = vietnam_today()
    campaign = campaigns.create_campaign(reviewer, CampaignInput(
        "Học tập Nghị quyết 57", "", today - timedelta(days=1), today + timedelta(days=20), [lesson.id],
        [tree["grassroots"].id]))
    db.session.commit()
    return {**tree, "reviewer": reviewer, "outsider": outsider, "admin": admin, "lesson": lesson,
            "campaign": campaign}


def _browser(app) -> FormClient:
    """Another phone, nobody signed in."""
    return FormClient(app.test_client())


def _sign_in(app, phone: str, password: str) -> tuple[int, FormClient]:
    browser = _browser(app)
    return browser.submit("/login", {"identifier": phone, "password": password}).status_code, browser


def _job(client, response) -> tuple[int, str]:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    job_id = int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    return job_id, page.get_data(as_text=True)


def _upload(client, data: bytes):
    return _job(client, client.submit("/org/import/", {"file": (io.BytesIO(data), "chi-bo.csv")}))


def _import_button(html: str) -> str | None:
    match = re.search(r'action="(/org/import/\d+/import)"', html)
    return match.group(1) if match else None


def _member(card: str) -> User | None:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.party_card_number == card)).one_or_none()


def _start(client, lesson):
    response = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    db.session.expire_all()
    return response, db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()


def test_a_grassroots_reviewers_journey_from_roster_to_grade(app, client, login, world):
    reviewer, lesson, campaign = world["reviewer"], world["lesson"], world["campaign"]
    cell_a, grassroots = world["cell_a"], world["grassroots"]
    login(reviewer)

    # 1. A roster with mistakes: the dry run names each refused row and its reason; nothing can be imported.
    bad_job, html = _upload(client, _csv(AN, BAD_CARD, UNKNOWN_CELL))
    assert "2 dòng bị từ chối" in html
    for expected in ("Dòng 3", "Số thẻ đảng viên: “7901ABCD” chỉ được có chữ số",
                     "Dòng 4", "không có chi bộ nào mang mã “CB-Z”"):
        assert expected in html, expected
    assert _import_button(html) is None
    # Posting the import anyway (the upload's id, as the import button would) is refused: nothing imported.
    upload_id = db.session.get(Job, bad_job).result["upload_id"]
    refused = client.submit(f"/org/import/{upload_id}/import", token_from=f"/jobs/{bad_job}")
    assert refused.status_code == 303
    assert "Không có gì được nhập" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert _member("79010001") is None
    # The fixed file: the dry run shows three to create, the import creates them.
    dry_job, html = _upload(client, _csv(AN, BINH, CUONG))
    assert "Nguyễn Văn An" in html and "Lê Thị Bình" in html and "Trần Văn Cường" in html
    assert _member("79010001") is None  # a dry run writes nothing
    import_job, html = _job(client, client.submit(_import_button(html), token_from=f"/jobs/{dry_job}"))
    assert "Đã nhập: tạo 3 đảng viên" in html
    an, binh, cuong = _member("79010001"), _member("79010002"), _member("79010003")
    assert (an.full_name, an.unit_id, binh.unit_id, cuong.unit_id) == (
        "Nguyễn Văn An", cell_a.id, cell_a.id, world["cell_b"].id)
    assert _sign_in(app, "0912345001", "")[0] == 200  # not activated yet: no way in

    # 2. Activation codes for cell A: the sheet pairs each member with a code.
    sheet = client.submit(f"/org/units/{cell_a.id}/activation", {"who": "inactive"})
    assert sheet.status_code == 200
    slips = dict(SLIP.findall(sheet.get_data(as_text=True)))
    assert set(slips) == {"Nguyễn Văn An", "Lê Thị Bình"}
    phone = _browser(app)  # An's phone
    assert phone.get(f"/activate/{slips['Nguyễn Văn An']}").status_code == 200
    activated = phone.submit("/activate", {"code": slips["Nguyễn Văn An"], "password": FIRST_PASSWORD,
                                           "confirm": FIRST_PASSWORD})
    assert activated.status_code == 302 and activated.headers["Location"] == "/"
    home = phone.get("/").get_data(as_text=True)
    assert "Nguyễn Văn An" in home and "Mật khẩu của đồng chí đã được đặt" in home  # signed in
    assert _sign_in(app, "0912345001", FIRST_PASSWORD)[0] == 302
    activation_page = client.get(f"/org/units/{cell_a.id}/activation").get_data(as_text=True)
    assert "đã kích hoạt" in activation_page.split("Nguyễn Văn An")[1].split("</li>")[0]
    # Later, a forgotten password: a new code, a new password; the old one stops working.
    reissued = client.submit(f"/org/members/{an.id}/activation-code", {},
                             token_from=f"/org/units/{cell_a.id}/activation")
    assert reissued.status_code == 200
    [(name, code)] = SLIP.findall(reissued.get_data(as_text=True))
    assert name == "Nguyễn Văn An" and code != slips["Nguyễn Văn An"]
    phone = _browser(app)
    assert phone.submit("/activate", {"code": code, "password": SECOND_PASSWORD,
                                      "confirm": SECOND_PASSWORD}).status_code == 302
    assert phone.get("/").status_code == 200
    assert _sign_in(app, "0912345001", FIRST_PASSWORD)[0] == 200
    assert _sign_in(app, "0912345001", SECOND_PASSWORD)[0] == 302

    # 3. An answers only the reflection, attempt after attempt, and uses every attempt.
    allowed = lesson.versions[-1].settings["attempts_allowed"]
    for _ in range(allowed):
        response, attempt = _start(phone, lesson)
        assert response.status_code == 302 and attempt.user_id == an.id
        phone.submit(f"/attempts/{attempt.id}", {**form_of(attempt, nothing_but_the_reflection),
                                                 "action": "submit_confirmed"})
        db.session.expire_all()
        assert db.session.get(Attempt, attempt.id).passed is False
    refused, _attempt = _start(phone, lesson)
    assert refused.headers["Location"].endswith(f"/lessons/{lesson.slug}")
    assert "đã dùng hết" in phone.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    # The reviewer follows the campaign's dashboard down to cell A, where An is listed.
    top = client.get(f"/follow-up/campaigns/{campaign.id}").get_data(as_text=True)
    cell_url = f"/follow-up/campaigns/{campaign.id}/units/{cell_a.id}"
    assert "Chi bộ A" in top and "Chi bộ B" in top and cell_url in top
    cell_page = client.get(cell_url)
    assert cell_page.status_code == 200
    # From there to An's page, by the cell page's link; the name search finds the same page.
    member_url = f"/review/members/{an.id}"
    assert re.search(rf'href="{member_url}">Nguyễn Văn An<', cell_page.get_data(as_text=True))
    assert f'href="{member_url}"' in client.get("/review/members/?q=nguyen van an").get_data(as_text=True)
    member_page = client.get(member_url).get_data(as_text=True)
    assert "Nguyễn Văn An" in member_page and "79010001" in member_page and "Chi bộ A" in member_page
    assert f"Lần làm bài {allowed}" in member_page and "chưa đạt" in member_page
    extra_url = f"/review/members/{an.id}/lessons/{lesson.id}/extra-attempt"
    granted = client.submit(extra_url, {"reason": "Ốm trong đợt học"}, token_from=member_url)
    assert granted.status_code == 302
    # An can start again, and this time answers everything right.
    response, attempt = _start(phone, lesson)
    assert response.status_code == 302 and attempt.number == allowed + 1 and attempt.status == "open"
    done = phone.submit(f"/attempts/{attempt.id}", {**form_of(attempt, correct_values), "action": "submit_confirmed"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).passed is True

    # 4. The reviewer sets the campaign's rubric and grades An's reflection from the queue.
    scale_url = f"/review/campaigns/{campaign.id}/scale"
    assert client.submit(scale_url, RUBRIC_FORM).status_code == 302
    assert "bài thu hoạch" in client.get("/review/grading").get_data(as_text=True)
    queued = client.get("/review/grading/next")
    assert queued.status_code == 302 and "/review/grading/answers/" in queued.headers["Location"]
    answer_url = queued.headers["Location"].replace("http://localhost", "")
    answer_id = int(answer_url.rsplit("/", 1)[1])
    grading_page = client.get(answer_url).get_data(as_text=True)
    assert "Nguyễn Văn An" in grading_page and "Liên hệ thực tế" in grading_page and 'name="c1"' in grading_page
    assert "số hoá sổ sách" in grading_page  # An's text
    graded = client.submit(answer_url, {"c0": "2", "c1": "1", "comment": "Liên hệ sát thực tế chi bộ.", "seen": "0"})
    assert graded.status_code == 302
    db.session.expire_all()
    grade = db.session.scalars(select(Grade).where(Grade.answer_id == answer_id)).one()
    assert (grade.points, grade.max_points, grade.passed, grade.grader_id) == (10, 10, True, reviewer.id)
    assert "Điểm chấm: 10 / 10" in client.get(member_url).get_data(as_text=True)

    # 5. The admin finds each step in the audit log.
    admin_status, admin = _sign_in(app, world["admin"].phone, "correct-horse-42")
    assert admin_status == 302
    for kind, who in ((AuditKind.ROSTER_IMPORTED, "Bí Thư Xã"), (AuditKind.MEMBER_CREATED, "Nguyễn Văn An"),
                      (AuditKind.ACTIVATION_ISSUED, "Nguyễn Văn An"), (AuditKind.ACTIVATION_USED, "Nguyễn Văn An"),
                      (AuditKind.EXTRA_ATTEMPT, "Ốm trong đợt học"), (AuditKind.GRADE, "Nguyễn Văn An")):
        page = admin.get(f"/audit?kind={kind.value}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and html.count('class="audit-entry"') >= 1, kind
        assert who in html, kind
    issued = admin.get(f"/audit?kind={AuditKind.ACTIVATION_ISSUED.value}&person=an").get_data(as_text=True)
    assert issued.count('class="audit-entry"') >= 2  # the first code and the one for the forgotten password
    for code_shown in (*slips.values(), code):
        assert code_shown not in issued

    # 6. A reviewer of another grassroots organisation: 404 or nothing, everywhere.
    status, outsider = _sign_in(app, world["outsider"].phone, "correct-horse-42")
    assert status == 302
    token = outsider.csrf_token("/")
    for url in (f"/follow-up/campaigns/{campaign.id}", f"/follow-up/campaigns/{campaign.id}/units/{grassroots.id}",
                cell_url, f"/follow-up/units/{cell_a.id}/print", member_url, f"/jobs/{bad_job}",
                f"/jobs/{dry_job}", f"/jobs/{import_job}", answer_url, f"/org/units/{cell_a.id}/activation",
                scale_url):
        assert outsider.get(url).status_code == 404, url
    for url, data in ((extra_url, {"reason": "Không phải việc của tôi"}), (answer_url, {"c0": "0", "seen": "0"}),
                      (f"/org/members/{an.id}/activation-code", {}), (f"/jobs/{dry_job}/again", {})):
        assert outsider.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    assert "Nguyễn Văn An" not in outsider.get("/review/members/?q=an").get_data(as_text=True)
    nothing = outsider.get("/review/grading/next")
    assert nothing.status_code == 302 and "/answers/" not in nothing.headers["Location"]
    db.session.expire_all()
    assert db.session.scalars(select(Grade).where(Grade.answer_id == answer_id)).one().grader_id == reviewer.id


def test_the_cell_dashboard_leads_to_each_members_page(client, login, world, make_user):
    """Issue 9: the reviewer follows the dashboard down to the cell and on to the member's page."""
    member = make_user(name="Nguyễn Văn An", member_of=world["cell_a"], phone="0912345001")
    login(world["reviewer"])
    page = client.get(f"/follow-up/campaigns/{world['campaign'].id}/units/{world['cell_a'].id}")
    assert page.status_code == 200 and "Nguyễn Văn An" in page.get_data(as_text=True)
    assert f'href="/review/members/{member.id}"' in page.get_data(as_text=True)


def test_members_imported_from_a_roster_are_found_by_name(client, login, world):
    """Issue 9's reviewer looks a member up by name on /review/members/."""
    login(world["reviewer"])
    dry_job, html = _upload(client, _csv(AN))
    _job(client, client.submit(_import_button(html), token_from=f"/jobs/{dry_job}"))
    an = _member("79010001")
    assert f'href="/review/members/{an.id}"' in client.get("/review/members/?q=79010001").get_data(as_text=True)
    assert f'href="/review/members/{an.id}"' in client.get("/review/members/?q=nguyen van an").get_data(as_text=True)
