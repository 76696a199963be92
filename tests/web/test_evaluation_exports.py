"""The year-end exports of a period's results beneath a unit
(evaluation.export_views): the spreadsheet as XLSX and CSV, one row per
member in the unit's order, cells that never run as formulas; the sheet to
print, totals by level, the quota, names by level; each for a reviewer's own
units only, and only once the period is computed."""
import csv
import io
import re

from openpyxl import load_workbook

from learning.core import db
from learning.evaluation import decisions, periods
from learning.evaluation.models import MemberResult
from tests.web import test_evaluation_results as results

_computed = results._computed

EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                                             "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ")
CELL_A_BY_NAME = ["Bí Thư A", "Nguyễn Văn An", "Lê Thị Bình", "Phạm Văn Cường"]  # by given name: A, An, Bình, Cường


def _url(period, unit, what):
    return f"/evaluation/periods/{period.id}/units/{unit.id}/{what}"


def _csv_rows(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet(response):
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.get_data())).active


def _text(response):
    """The page's words, tags and runs of spaces taken out."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _in_order(text, *parts):
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)


def _english(client):
    client.get("/lang/en")
    return client


def test_a_cells_csv_has_a_row_per_member_in_name_order_with_the_decision(year, tree, login):
    period = year["period"]
    _computed(period)
    binh = db.session.get(MemberResult, (year["binh"].id, period.id))
    decisions.decide_member(year["secretary"], period, binh, "good", "Tích cực phụ trách đoàn thể")
    year["an"].party_card_number = "79001234"
    db.session.commit()
    response = login(year["secretary"]).get(_url(period, tree["cell_a"], "results.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Họ và tên", "Số thẻ đảng viên", "Chi bộ"] and len(header) == 13
    assert [row[0] for row in rows] == CELL_A_BY_NAME
    by_name = {row[0]: row for row in rows}
    # card, cell, assigned, completed, on time, average score, reflections passed and due (one lesson
    # asks for one, nobody's graded yet), points, suggested, decided, reason
    assert by_name["Nguyễn Văn An"][1:] == ["79001234", "Chi bộ A", "2", "2", "2", "100.0", "0", "1", "100.0",
                                           EXCELLENT, "", ""]
    assert by_name["Lê Thị Bình"][3:] == ["2", "1", "1", "100.0", "0", "1", "50.0", COMPLETED, GOOD,
                                         "Tích cực phụ trách đoàn thể"]
    assert by_name["Phạm Văn Cường"][6] == ""  # nothing scored: no average


def test_the_grassroots_xlsx_holds_every_cell_beneath_numbers_as_numbers(year, tree, login):
    period = year["period"]
    _computed(period)
    client = login(year["committee"])
    response = client.get(_url(period, tree["grassroots"], "results.xlsx"))
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert f"-{period.year}-Dang-bo-xa-Thu-nghiem.xlsx" in disposition  # the ASCII name
    assert "filename*=UTF-8''" in disposition and "%C4%90%E1%BA%A3ng-b%E1%BB%99" in disposition  # "Đảng-bộ"
    sheet = _sheet(response)
    header, *rows = list(sheet.values)
    assert header[:3] == ("Họ và tên", "Số thẻ đảng viên", "Chi bộ") and sheet["A1"].font.b
    assert [(row[0], row[2]) for row in rows] == [*((name, "Chi bộ A") for name in CELL_A_BY_NAME),
                                                   ("Đỗ Thị Em", "Chi bộ B")]
    em = rows[-1]
    assert em[3:11] == (2, 2, 2, 100.0, 0, 1, 100.0, EXCELLENT)
    assert isinstance(em[3], int) and em[11] is None  # numbers stay numbers; no decision, an empty cell

    csv_rows = _csv_rows(client.get(_url(period, tree["grassroots"], "results.csv")))
    assert [row[0] for row in csv_rows[1:]] == [row[0] for row in rows]


def test_a_name_written_as_a_formula_stays_text(year, tree, make_user, login):
    period = year["period"]
    make_user(name='=HYPERLINK("http://x")', member_of=tree["cell_b"])
    _computed(period)
    client = login(year["committee"])
    csv_rows = _csv_rows(client.get(_url(period, tree["cell_b"], "results.csv")))
    assert "'=HYPERLINK(\"http://x\")" in [row[0] for row in csv_rows]
    sheet = _sheet(client.get(_url(period, tree["cell_b"], "results.xlsx")))
    [cell] = [row[0] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[0].value)]
    assert cell.value == "'=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_a_reviewer_reaches_only_their_own_units(year, tree, make_user, login):
    period = year["period"]
    _computed(period)
    other = make_user(role="reviewer", unit=tree["cell_b"], name="Bí Thư B", member_of=tree["cell_b"])
    client = login(other)
    for what in ("results.xlsx", "results.csv", "print"):
        assert client.get(_url(period, tree["cell_a"], what)).status_code == 404, what
        assert client.get(_url(period, tree["grassroots"], what)).status_code == 404, what  # above their cell
        assert client.get(f"/evaluation/periods/{period.id + 1}/units/{tree['cell_b'].id}/{what}").status_code == 404
        assert client.get(_url(period, tree["cell_b"], what)).status_code == 200, what


def test_members_are_refused_and_strangers_sent_to_sign_in(year, tree, client, login):
    period = year["period"]
    _computed(period)
    for what in ("results.xlsx", "results.csv", "print"):
        response = client.get(_url(period, tree["cell_a"], what))
        assert response.status_code == 302 and "/login" in response.headers["Location"], what
    member = login(year["an"])
    for what in ("results.xlsx", "results.csv", "print"):
        assert member.get(_url(period, tree["cell_a"], what)).status_code == 403, what


def test_a_period_not_computed_has_nothing_to_download_and_its_sheet_says_so(year, tree, login):
    period = year["period"]
    client = _english(login(year["committee"]))
    assert client.get(_url(period, tree["grassroots"], "results.xlsx")).status_code == 404
    assert client.get(_url(period, tree["grassroots"], "results.csv")).status_code == 404
    response = client.get(_url(period, tree["grassroots"], "print"))
    assert response.status_code == 200
    text = _text(response)
    assert "This period's results have not been computed yet." in text and "Members rated" not in text


def test_the_grassroots_sheet_gives_totals_the_quota_and_the_names_by_level(year, tree, login):
    period = year["period"]
    _computed(period)
    client = _english(login(year["committee"]))
    text = _text(client.get(_url(period, tree["grassroots"], "print")))
    _in_order(text, "Study criterion results of Đảng bộ xã Thử nghiệm", "Đánh giá năm",
              "Completed tasks excellently 2 40%", "Completed tasks well 0 0%", "Completed tasks 1 20%",
              "Did not complete tasks 2 40%", "Members rated 5 100%", "5 members not yet decided")
    # 2 excellent, 0 good: 20% of good allows none
    _in_order(text, "Excellent: 2 of at most 0 allowed (20% of the 0 rated good).", "Over the quota by 2.")
    _in_order(text, "Chi bộ A", "Completed tasks excellently (1)", "1 Nguyễn Văn An 100.0",
              "Completed tasks (1)", "1 Lê Thị Bình 50.0",
              "Did not complete tasks (2)", "1 Bí Thư A 0.0", "2 Phạm Văn Cường 0.0",
              "Chi bộ B", "Completed tasks excellently (1)", "1 Đỗ Thị Em 100.0", "Prepared by", "Secretary")

    for name in ("an", "em"):  # both rated good instead: within the quota
        decisions.decide_member(year["committee"], period, db.session.get(MemberResult, (year[name].id, period.id)),
                                "good", "Chưa gương mẫu")
    db.session.commit()
    text = _text(client.get(_url(period, tree["grassroots"], "print")))
    assert "Excellent: 0 of at most 0 allowed (20% of the 2 rated good)." in text
    assert "Over the quota" not in text
    _in_order(text, "Chi bộ A", "Completed tasks well (1)", "1 Nguyễn Văn An 100.0")


def test_a_cells_sheet_has_no_quota_line_and_a_period_without_quota_says_so(year, tree, login):
    period = year["period"]
    _computed(period)
    client = _english(login(year["committee"]))
    text = _text(client.get(_url(period, tree["cell_a"], "print")))
    _in_order(text, "Members rated 4 100%", "Completed tasks excellently (1)", "1 Nguyễn Văn An 100.0")
    assert "quota" not in text and "Chi bộ B" not in text

    rules = dict(period.rule_set.definition, quota={})
    periods.set_rules(year["admin"], period, rules, [c.id for c in period.campaigns])
    db.session.commit()
    assert "The rules set no quota of excellent ratings." in _text(client.get(_url(period, tree["grassroots"],
                                                                                   "print")))
