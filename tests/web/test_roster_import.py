"""Importing a roster: the dry run lists every row with what would happen and
why a row is refused; the import is all or nothing; importing the same file
again changes nothing; a reviewer imports only into the cells of their units;
every member created or changed leaves an audit entry."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from learning.audit.models import AuditEntry, AuditKind
from learning.core import db
from learning.models import Job, LessonRollup, RoleGrant, RosterUpload, User
from learning.org import accounts
from learning.org import units as org
from learning.study import reading

HEADER = "Họ và tên,Số thẻ đảng viên,Ngày sinh,Giới tính,Mã chi bộ,Điện thoại,Trạng thái,Ngày vào Đảng"
AN = "Nguyễn Văn An,79010001,03/04/1980,Nam,CB-A,0912 345 001,Chính thức,01/05/2005"
BINH = "Lê Thị Bình,79010002,1985-12-31,Nữ,cb-a,+84 912 345 002,Dự bị,"
CUONG = "Trần Văn Cường,79010003,,,CB-B,,Miễn sinh hoạt,"


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.fixture
def cells(app, tree):
    tree["cell_a"].code, tree["cell_b"].code = "CB-A", "CB-B"
    other = org.add_unit("Đảng bộ xã Khác", "grassroots", parent=tree["province"])
    tree["cell_c"] = org.add_unit("Chi bộ C", "cell", parent=other, code="CB-C")
    tree["grassroots"].code = "DB-XA"
    db.session.commit()
    return tree


@pytest.fixture
def importer(cells, make_user, login):
    """A reviewer of the grassroots organisation (cells A and B, not C), signed in."""
    user = make_user(role="reviewer", unit=cells["grassroots"], name="Bí Thư Xã")
    login(user)
    return user


def upload(client, data: bytes, name: str = "chi-bo.csv", token_from: str = "/org/import/"):
    return client.submit("/org/import/", {"file": (io.BytesIO(data), name)}, token_from=token_from)


def job_page(client, response) -> tuple[int, str]:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    job_id = int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    return job_id, page.get_data(as_text=True)


def import_button(html: str) -> str | None:
    match = re.search(r'action="(/org/import/\d+/import)"', html)
    return match.group(1) if match else None


def members() -> dict[str, User]:
    db.session.expire_all()
    return {u.party_card_number: u for u in db.session.scalars(select(User).where(User.party_card_number.is_not(None)))}


def test_the_dry_run_lists_what_each_row_would_do_and_writes_nothing(client, importer):
    job_id, html = job_page(client, upload(client, _csv(AN, BINH, "", CUONG)))
    assert "Nguyễn Văn An" in html and "Lê Thị Bình" in html and "Trần Văn Cường" in html
    assert "Bỏ qua 1 dòng trống" in html  # the blank row is skipped, and said so
    assert '<progress id="job-bar" max="3" value="3">' in html and 'http-equiv="refresh"' not in html
    job = db.session.get(Job, job_id)
    assert job.status == "done" and job.result["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert import_button(html) is not None
    assert set(members()) == set()  # nothing written yet
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_refused_rows_give_their_row_number_and_reason_and_nothing_can_be_imported(client, importer, cells):
    data = _csv(AN, "Lê Thị Bình,7901ABCD,31/02/1985,Nữ,CB-A,0123,Dự bị,",
                "Trần Văn Cường,79010003,,,CB-C,,Chính thức,", "Phạm Dung,79010004,,,CB-Z,,Chính thức,",
                "Hoàng Em,79010001,,,CB-A,,Chính thức,", "Vũ Gấm,79010006,03/04/80,,DB-XA,+84912345001,Chính thức,")
    job_id, html = job_page(client, upload(client, data))
    assert "5 dòng bị từ chối" in html
    for expected in ("Dòng 3", "Số thẻ đảng viên: “7901ABCD” chỉ được có chữ số",
                     "Ngày sinh: “31/02/1985” không phải là một ngày có thật",
                     "Điện thoại: “0123” không phải là số di động Việt Nam",
                     "Dòng 4", "chi bộ “CB-C” nằm ngoài các đơn vị của đồng chí",
                     "Dòng 5", "không có chi bộ nào mang mã “CB-Z”",
                     "Dòng 6", "79010001 cũng có ở dòng 2",
                     "Dòng 7", "“03/04/80” không rõ ràng", "“DB-XA” không phải là một chi bộ đang hoạt động",
                     "0912345001 cũng có ở dòng 2"):
        assert expected in html, expected
    assert import_button(html) is None
    upload_id = db.session.get(Job, job_id).result["upload_id"]
    # Posting the import anyway is refused: nothing imported.
    response = client.submit(f"/org/import/{upload_id}/import", token_from=f"/jobs/{job_id}")
    assert response.status_code == 303
    assert "Không có gì được nhập" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert members() == {}


def test_import_creates_members_who_cannot_sign_in_and_audits_each(client, importer, cells, app):
    job_id, html = job_page(client, upload(client, _csv(AN, BINH, CUONG)))
    response = client.submit(import_button(html), token_from=f"/jobs/{job_id}")
    import_id, html = job_page(client, response)
    assert "Đã nhập: tạo 3 đảng viên" in html
    found = members()
    an, binh, cuong = found["79010001"], found["79010002"], found["79010003"]
    assert (an.full_name, an.phone, an.birth_date, an.gender, an.unit_id, an.membership, an.exempt,
            an.admitted_on) == ("Nguyễn Văn An", "0912345001", date(1980, 4, 3), "male", cells["cell_a"].id, "full",
                                False, date(2005, 5, 1))
    assert (binh.phone, binh.unit_id, binh.membership) == ("0912345002", cells["cell_a"].id, "probationary")
    assert (cuong.unit_id, cuong.membership, cuong.exempt, cuong.phone) == (cells["cell_b"].id, "full", True, None)
    assert an.name_key and an.name_key == User(full_name="Nguyễn Văn An").name_key
    assert an.last_login_at is None and an.password_hash == accounts.NOT_ACTIVATED  # not yet activated
    for password in ("", "!not-activated", "not-activated", an.password_hash):
        assert accounts.authenticate("79010001", password) is None
        assert accounts.authenticate("0912345001", password) is None
    assert db.session.scalar(select(func.count()).select_from(RoleGrant).where(
        RoleGrant.user_id == an.id, RoleGrant.role == "member")) == 1
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    created = [e for e in entries if e.kind == AuditKind.MEMBER_CREATED]
    assert {e.subject_id for e in created} == {an.id, binh.id, cuong.id}
    assert all(e.actor_id == importer.id for e in entries)
    entry = next(e for e in created if e.subject_id == an.id)
    assert (entry.subject_name, entry.unit_id, entry.unit_path) == ("Nguyễn Văn An", cells["cell_a"].id,
                                                                    cells["cell_a"].path)
    assert entry.after["cell"] == "CB-A" and entry.after["birth_date"] == "03/04/1980"
    [imported] = [e for e in entries if e.kind == AuditKind.ROSTER_IMPORTED]
    assert imported.after == {"file": "chi-bo.csv", "created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert db.session.scalar(select(RosterUpload.content)) is None  # the file is not kept once imported


def _import(client, data: bytes, name: str = "chi-bo.csv") -> dict:
    job_id, html = job_page(client, upload(client, data, name))
    button = import_button(html)
    if button is None:
        return db.session.get(Job, job_id).result
    import_id, _html = job_page(client, client.submit(button, token_from=f"/jobs/{job_id}"))
    db.session.expire_all()
    return db.session.get(Job, import_id).result


def test_importing_the_same_file_again_changes_nothing(client, importer):
    assert _import(client, _csv(AN, BINH, CUONG))["imported"]
    before = {card: (u.id, u.full_name, u.phone, u.unit_id, u.password_hash) for card, u in members().items()}
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
    job_id, html = job_page(client, upload(client, _csv(AN, BINH, CUONG)))
    assert db.session.get(Job, job_id).result["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert import_button(html) is None  # nothing to import
    assert {card: (u.id, u.full_name, u.phone, u.unit_id, u.password_hash) for card, u in members().items()} == before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == entries


def test_a_changed_row_shows_before_and_after_and_is_audited(client, importer, cells):
    _import(client, _csv(AN, BINH))
    changed = "Nguyễn  Văn An,79010001,03/04/1980,Nam,cb-b,+84 912 345 009,Chính thức,"  # moved, new phone
    job_id, html = job_page(client, upload(client, _csv(changed, BINH)))
    assert db.session.get(Job, job_id).result["counts"] == {"created": 0, "updated": 1, "unchanged": 1, "refused": 0}
    assert "<del>CB-A</del> → <ins>CB-B</ins>" in html and "<del>0912345001</del> → <ins>0912345009</ins>" in html
    job_page(client, client.submit(import_button(html), token_from=f"/jobs/{job_id}"))
    an = members()["79010001"]
    assert (an.unit_id, an.phone, an.admitted_on) == (cells["cell_b"].id, "0912345009", date(2005, 5, 1))  # blank kept
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.MEMBER_CHANGED)).all()
    assert (entry.subject_id, entry.before, entry.after) == (
        an.id, {"cell": "CB-A", "phone": "0912345001"}, {"cell": "CB-B", "phone": "0912345009"})


def test_a_phone_or_a_member_of_someone_else_is_refused(client, importer, make_user, cells):
    make_user(name="Người Khác", phone="0912345001")
    make_user(name="Xa Lạ", party_card_number="79010002", member_of=cells["cell_c"], phone="0977000000")
    job_id, html = job_page(client, upload(client, _csv(AN, BINH)))
    assert "0912345001 đã là số điện thoại của một đảng viên khác" in html
    assert "đảng viên có thẻ 79010002 thuộc một đơn vị ngoài các đơn vị của đồng chí" in html
    assert import_button(html) is None


def test_the_import_is_all_or_nothing_when_the_database_changed_since_the_dry_run(client, importer, make_user):
    job_id, html = job_page(client, upload(client, _csv(AN, BINH)))
    make_user(name="Người Nhanh Tay", phone="0912345002")  # takes Bình's phone meanwhile
    import_id, html = job_page(client, client.submit(import_button(html), token_from=f"/jobs/{job_id}"))
    assert "Không có gì trong tệp này được nhập" in html and "0912345002 đã là số điện thoại" in html
    assert "79010001" not in members()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_xlsx_with_real_date_cells_and_plus_84_phones(client, importer):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["Trần Thị Cúc", 79010005, datetime(1985, 12, 31), "Nữ", "cb-a", "+84 987 654 321", "Dự bị",
                  datetime(2010, 3, 2)])
    out = io.BytesIO()
    book.save(out)
    assert _import(client, out.getvalue(), "danh-sach.xlsx")["imported"]
    cuc = members()["79010005"]
    assert (cuc.birth_date, cuc.phone, cuc.admitted_on, cuc.gender) == (date(1985, 12, 31), "0987654321",
                                                                        date(2010, 3, 2), "female")


def test_a_reviewer_of_one_cell_imports_only_into_it(client, cells, make_user, login):
    login(make_user(role="reviewer", unit=cells["cell_a"], name="Bí Thư A"))
    job_id, html = job_page(client, upload(client, _csv(AN, CUONG)))
    assert "chi bộ “CB-B” nằm ngoài các đơn vị của đồng chí" in html and import_button(html) is None


def test_an_admin_imports_anywhere(client, cells, make_user, login):
    login(make_user(role="admin", name="Quản Trị"))
    assert _import(client, _csv(AN, "Trần Văn Cường,79010003,,,cb-c,,Chính thức,"))["counts"]["created"] == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, cells):
    for path in ("/org/import/", "/org/import/roster-sample.csv", "/jobs/", "/jobs/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    response = client.submit("/org/import/", {"file": (io.BytesIO(_csv(AN)), "a.csv")}, token_from="/login")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "editor"])
def test_members_and_editors_are_refused(client, cells, make_user, login, role):
    login(make_user(role=role, name=f"Người {role}"))
    assert client.get("/org/import/").status_code == 403
    assert client.get("/org/import/roster-sample.csv").status_code == 403
    assert upload(client, _csv(AN), token_from="/").status_code == 403


def test_another_subtrees_reviewer_gets_404_on_this_import_and_its_jobs(client, importer, cells, make_user, login):
    job_id, html = job_page(client, upload(client, _csv(AN)))
    button = import_button(html)
    client.submit("/logout", token_from="/")
    login(make_user(role="reviewer", unit=cells["cell_c"], name="Bí Thư C"))
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.submit(button, token_from="/org/import/").status_code == 404
    assert client.submit(f"/jobs/{job_id}/again", token_from="/org/import/").status_code == 404
    assert members() == {}


def test_the_upload_refuses_other_files_and_big_ones_with_a_message(client, importer, app):
    response = upload(client, b"hello", "notes.txt")
    assert response.status_code == 400 and "Hãy chọn một tệp .csv hoặc .xlsx" in response.get_data(as_text=True)
    response = client.submit("/org/import/", {}, token_from="/org/import/")
    assert response.status_code == 400 and "Hãy chọn tệp danh sách" in response.get_data(as_text=True)
    app.config["ROSTER_MAX_BYTES"] = 1000
    response = upload(client, _csv(*[AN] * 40))
    assert response.status_code == 413 and "Tệp lớn hơn" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_a_file_larger_than_the_apps_general_limit_is_taken(client, importer, app):
    """Lesson sources are limited to 2 MB; a roster may be larger."""
    app.config["MAX_CONTENT_LENGTH"] = 2000
    job_id, html = job_page(client, upload(client, _csv(AN, BINH) + b"\n" * 5000))
    assert "Nguyễn Văn An" in html


def test_the_samples_download_and_import(client, importer, cells):
    cells["cell_a"].code = "TL-DT"
    db.session.commit()
    response = client.get("/org/import/roster-sample.csv")
    assert response.status_code == 200 and "Họ và tên" in response.get_data(as_text=True)
    assert _import(client, response.data, "roster-sample.csv")["counts"]["created"] == 3
    assert client.get("/org/import/roster-sample.xlsx").status_code == 200


def test_the_big_upload_limit_is_only_for_reviewers(client, cells, app):
    """Anyone else posting there meets the app's own limit and the route's policy."""
    app.config["ROSTER_MAX_BYTES"] = 1000
    response = upload(client, _csv(*[AN] * 40), token_from="/login")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_the_import_moves_or_makes_exempt_takes_their_progress_out_of_the_old_cells_figures(
        client, importer, cells, publish_file):
    lesson = publish_file()
    _import(client, _csv(AN, BINH))
    for person in members().values():
        reading.record_read(person, lesson)
    db.session.commit()

    def started(cell):
        row = db.session.get(LessonRollup, (cells[cell].id, lesson.id, False))
        return row.started if row else 0
    assert (started("cell_a"), started("cell_b")) == (2, 0)
    moved = AN.replace("CB-A", "CB-B")
    exempt = BINH.replace("Dự bị", "Miễn sinh hoạt")
    assert _import(client, _csv(moved, exempt))["imported"]
    db.session.expire_all()
    assert (started("cell_a"), started("cell_b")) == (0, 1)


def test_imported_members_are_counted_in_their_cells_and_every_unit_above(client, importer, cells, publish_file):
    from tests.web.test_unit_lines import _expected_tallies, _stored_tallies
    lesson = publish_file()
    cell_a, cell_b = (cells["cell_a"].id, False), (cells["cell_b"].id, False)
    before = _stored_tallies()
    _import(client, _csv(AN, BINH))
    db.session.expire_all()
    assert _stored_tallies() == _expected_tallies()
    assert _stored_tallies()[cell_a] == before.get(cell_a, 0) + 2
    for person in members().values():
        reading.record_read(person, lesson)
    db.session.commit()
    _import(client, _csv(AN.replace("CB-A", "CB-B"), BINH.replace("Dự bị", "Miễn sinh hoạt")))
    db.session.expire_all()
    assert _stored_tallies() == _expected_tallies()
    assert _stored_tallies().get(cell_a, 0) == before.get(cell_a, 0)  # one moved out, one exempt
    assert _stored_tallies()[cell_b] == before.get(cell_b, 0) + 1


def report_link(html: str) -> str | None:
    match = re.search(r'href="(/org/import/\d+/report\.csv)"', html)
    return match.group(1) if match else None


def report_rows(client, link: str) -> list[list[str]]:
    response = client.get(link)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())  # Excel then reads the file as UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def test_the_full_report_lists_every_row_with_the_reasons_the_page_gives(client, importer, cells):
    """The page lists 500 refused rows at most; the download lists them all."""
    bad = [f"Người Thứ {n},{79100000 + n},,,{'CB-Z' if n % 2 else 'CB-C'},,Chính thức," for n in range(600)]
    job_id, html = job_page(client, upload(client, _csv(AN, *bad, "Lê Sai,7901ABCD,31/02/1985,,CB-A,,Dự bị,", BINH)))
    assert "601 dòng bị từ chối" in html and html.count('class="roster-row refused"') == 500
    assert "Tải về toàn bộ kết quả kiểm tra (CSV)" in html
    header, *rows = report_rows(client, report_link(html))
    assert header == ["Dòng", "Kết quả", "Họ và tên", "Số thẻ đảng viên", "Mã chi bộ", "Lý do", "Thay đổi"]
    assert [int(row[0]) for row in rows] == list(range(2, 605))  # every row of the file, in its order
    assert rows[0][:5] == ["2", "Sẽ tạo mới", "Nguyễn Văn An", "79010001", "CB-A"] and rows[0][5] == ""
    assert rows[-1][:5] == ["604", "Sẽ tạo mới", "Lê Thị Bình", "79010002", "CB-A"]
    refused = [row for row in rows if row[1] == "Bị từ chối"]
    assert len(refused) == 601
    assert rows[600][:5] == ["602", "Bị từ chối", "Người Thứ 599", "79100599", "CB-Z"]
    assert rows[600][5] == "Mã chi bộ: không có chi bộ nào mang mã “CB-Z”"
    assert rows[599][5] == "Mã chi bộ: chi bộ “CB-C” nằm ngoài các đơn vị của đồng chí"
    assert rows[601][5] == ("Số thẻ đảng viên: “7901ABCD” chỉ được có chữ số; "
                            "Ngày sinh: “31/02/1985” không phải là một ngày có thật")
    assert members() == {}  # a dry run, downloaded, still writes no member


def test_the_full_report_shows_changes_and_unchanged_rows(client, importer):
    _import(client, _csv(AN, BINH))
    moved = AN.replace("CB-A", "CB-B").replace("0912 345 001", "0912 345 009")
    job_id, html = job_page(client, upload(client, _csv(moved, BINH)))
    _header, changed, same = report_rows(client, report_link(html))
    assert changed == ["2", "Sẽ cập nhật", "Nguyễn Văn An", "79010001", "CB-B", "",
                       "Chi bộ: CB-A → CB-B; Điện thoại: 0912345001 → 0912345009"]
    assert same[:5] == ["3", "Không đổi", "Lê Thị Bình", "79010002", "CB-A"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, importer):
    names = ['=HYPERLINK("http://x.example","Bấm")', "+84 Tên", "-Tên", "@Tên"]
    rows = [f'"{name.replace(chr(34), chr(34) * 2)}",{79020000 + n},,,CB-Z,,Chính thức,'
            for n, name in enumerate(names)]
    job_id, html = job_page(client, upload(client, _csv(*rows)))
    _header, *found = report_rows(client, report_link(html))
    assert [row[2] for row in found] == ["'" + name for name in names]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in found for cell in row)


def test_the_full_report_is_only_for_whoever_may_see_the_dry_run(client, importer, cells, make_user, login):
    job_id, html = job_page(client, upload(client, _csv(AN)))
    link = report_link(html)
    client.submit("/logout", token_from="/")
    response = client.get(link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(make_user(role="reviewer", unit=cells["cell_c"], name="Bí Thư C"))
    assert client.get(link).status_code == 404
    assert client.get("/org/import/999999/report.csv").status_code == 404
    client.submit("/logout", token_from="/")
    login(make_user(role="admin", name="Quản Trị"))
    assert report_rows(client, link)[1][2] == "Nguyễn Văn An"


def test_the_full_report_goes_with_the_file_once_imported(client, importer):
    job_id, html = job_page(client, upload(client, _csv(AN)))
    link = report_link(html)
    job_page(client, client.submit(import_button(html), token_from=f"/jobs/{job_id}"))
    assert db.session.scalar(select(RosterUpload.report)) is None
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert report_link(html) is None  # the link goes too
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/jobs/{job_id}")
    assert "không còn được lưu" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_file_the_dry_run_cannot_read_offers_no_report(client, importer):
    job_id, html = job_page(client, upload(client, "Họ và tên,Số thẻ đảng viên\nAn,79010001\n".encode()))
    assert "Tệp thiếu các cột" in html and report_link(html) is None
