"""Evaluation periods and their rules (learning.evaluation.periods, views):
made and edited on pages by admins and reviewers of the whole tree, rules
as data validated field by field, a rule set never changed once written,
every change in the audit log; anyone else is refused."""
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from learning.audit.models import AuditEntry, AuditKind
from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.evaluation import periods
from learning.evaluation.models import Period, RuleSet
from learning.evaluation.rules import DEFAULT_RULES

YEAR = vietnam_today().year
NOTHING_CHANGED = "Không có gì thay đổi."


def _campaign(admin, lesson, title, closes_on, unit):
    found = campaigns.create_campaign(admin, CampaignInput(title, "", closes_on - timedelta(days=30), closes_on,
                                                           [lesson.id], [unit.id]))
    db.session.commit()
    return found


def _form(rules=DEFAULT_RULES, campaign_ids=(), **changes):
    data = {f"weights-{code}": str(weight) for code, weight in rules["weights"].items()}
    data.update({f"bands-{level}": str(points) for level, points in rules["bands"].items()})
    data["quota-excellent_of_good"] = str(rules["quota"]["excellent_of_good"])
    data["campaign"] = [str(i) for i in campaign_ids]
    data.update(changes)
    return data


def test_a_provincial_reviewer_makes_this_years_period_from_the_default_rules(client, login, make_user, tree,
                                                                              publish_file):
    lesson = publish_file()
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    counted = _campaign(admin, lesson, "Học tập Nghị quyết 57", date(YEAR, 6, 30), tree["province"])
    _campaign(admin, lesson, "Đợt năm trước", date(YEAR - 1, 12, 1), tree["province"])
    login(make_user(role="reviewer", unit=tree["province"], name="Ban Tuyên giáo"))
    page = client.client.get("/evaluation/").get_data(as_text=True)
    assert "Chưa có kỳ đánh giá nào" in page and f"Đánh giá, xếp loại năm {YEAR}" in page
    response = client.submit("/evaluation/periods", {"name": f"Đánh giá năm {YEAR}", "year": str(YEAR),
                                                     "starts_on": f"01/01/{YEAR}", "ends_on": f"31/12/{YEAR}"},
                             token_from="/evaluation/")
    assert response.status_code == 302
    period = db.session.scalars(select(Period)).one()
    assert period.rule_set.definition == DEFAULT_RULES and [c.id for c in period.campaigns] == [counted.id]
    rules_page = client.client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="weights-completion" value="40"' in rules_page and 'name="bands-excellent" value="90"' in rules_page
    assert "Hoàn thành xuất sắc nhiệm vụ: từ" in rules_page
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.PERIOD_CREATED)).one()
    assert entry.actor_name == "Ban Tuyên giáo" and entry.after["campaigns"] == ["Học tập Nghị quyết 57"]
    assert "Hoàn thành xuất sắc nhiệm vụ ≥ 90" in entry.after["rules"]


def test_bad_rules_are_refused_by_field_and_keep_what_was_typed(client, login, make_user):
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    period = periods.create_period(admin, "Đánh giá", YEAR, date(YEAR, 1, 1), date(YEAR, 12, 31))
    db.session.commit()
    login(admin)
    url = f"/evaluation/periods/{period.id}/rules"
    response = client.submit(url, _form(**{"weights-completion": "50", "bands-good": "95", "quota-excellent_of_good": "x"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tổng các trọng số là 110: phải bằng 100." in page
    assert "Mỗi mức phải cần nhiều điểm hơn mức dưới nó." in page
    assert 'id="quota-excellent_of_good-error"' in page and 'value="50"' in page and 'value="95"' in page
    db.session.expire_all()
    assert db.session.get(Period, period.id).rule_set.definition == DEFAULT_RULES
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.kind == AuditKind.PERIOD_CHANGED)) == 0


def test_changed_rules_make_a_new_rule_set_and_the_old_one_stays_as_it_was(client, login, make_user, publish_file,
                                                                          tree):
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    campaign = _campaign(admin, publish_file(), "Học tập Nghị quyết 66", date(YEAR, 9, 30), tree["province"])
    period = periods.create_period(admin, "Đánh giá", YEAR, date(YEAR, 1, 1), date(YEAR, 12, 31))
    db.session.commit()
    first = period.rule_set_id
    login(admin)
    url = f"/evaluation/periods/{period.id}/rules"
    changed = _form(campaign_ids=[campaign.id], **{"weights-completion": "30", "weights-attendance": "10",
                                                   "quota-excellent_of_good": ""})
    assert client.submit(url, changed).status_code == 302
    db.session.expire_all()
    period = db.session.get(Period, period.id)
    assert period.rule_set_id != first and period.rule_set.definition["weights"]["attendance"] == 10
    assert period.rule_set.definition["quota"] == {}
    assert db.session.get(RuleSet, first).definition == DEFAULT_RULES
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.PERIOD_CHANGED)).one()
    assert "hội nghị học tập đã dự 10" in entry.after["rules"] and "tối đa 20%" in entry.before["rules"]
    # the same content again finds the same row, and a second period copies the rules
    again = periods.rule_set_for(period.rule_set.definition)
    assert again.id == period.rule_set_id
    following = periods.create_period(admin, "Năm sau", YEAR + 1, date(YEAR + 1, 1, 1), date(YEAR + 1, 12, 31))
    assert following.rule_set_id == period.rule_set_id
    unchanged = client.submit(url, changed)
    assert unchanged.status_code == 400 and NOTHING_CHANGED in unchanged.get_data(as_text=True)


def test_a_locked_period_keeps_its_rules(client, login, make_user):
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    period = periods.create_period(admin, "Đánh giá", YEAR, date(YEAR, 1, 1), date(YEAR, 12, 31))
    period.locked_at = utcnow()
    db.session.commit()
    login(admin)
    url = f"/evaluation/periods/{period.id}/rules"
    page = client.client.get(url).get_data(as_text=True)
    assert "Kỳ đánh giá đã khóa" in page and "Lưu quy tắc" not in page and "disabled" in page
    response = client.submit(url, _form(**{"weights-completion": "30", "weights-attendance": "10"}))
    assert response.status_code == 400 and "Kỳ đánh giá đã khóa" in response.get_data(as_text=True)


def test_only_admins_and_reviewers_of_the_top_set_the_rules(client, login, make_user, tree):
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    period = periods.create_period(admin, "Đánh giá", YEAR, date(YEAR, 1, 1), date(YEAR, 12, 31))
    db.session.commit()
    secretary = make_user(role="reviewer", unit=tree["cell_a"], name="Bí Thư A")
    login(secretary)
    assert client.client.get(f"/evaluation/periods/{period.id}/rules").status_code == 403
    assert client.client.post(f"/evaluation/periods/{period.id}/rules", data={}).status_code in (400, 403)
    assert client.client.post(f"/evaluation/periods/{period.id}/compute", data={}).status_code in (400, 403)
    index = client.client.get("/evaluation/").get_data(as_text=True)  # a cell's reviewer reads the periods ...
    assert period.name in index and 'action="/evaluation/periods"' not in index  # ... and makes none
    period_page = client.client.get(f"/evaluation/periods/{period.id}").get_data(as_text=True)
    assert "/compute" not in period_page and "/rules" not in period_page
    client.submit("/logout", token_from="/")
    login(make_user(name="Đảng Viên", member_of=tree["cell_a"]))
    assert client.client.get("/evaluation/").status_code == 403
    assert "/evaluation/\"" not in client.client.get("/").get_data(as_text=True)  # no menu link for a member
    client.submit("/logout", token_from="/")
    login(make_user(role="reviewer", unit=tree["province"], name="Ban Tuyên giáo"))
    home = client.client.get("/").get_data(as_text=True)
    assert re.search(r'href="/evaluation/"', home)
