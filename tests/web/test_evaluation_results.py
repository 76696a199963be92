"""A period's results (evaluation.compute) and the decisions on them
(evaluation.decisions): every rated member's criterion and every unit's,
the same from the same data, decisions kept across computations (a
confirmation lapses when its suggestion changes), counts by level moving
with each decision, a lock that freezes everything until an admin reopens."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEntry, AuditKind
from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.errors import DomainError
from learning.evaluation import decisions, periods
from learning.evaluation.compute import compute
from learning.evaluation.models import MemberResult, UnitResult
from learning.org import units as org
from learning.org.scope import OwnRecord
from learning.org.units import OutOfScope
from tests.web.conftest import campaigns_of
from tests.web.test_dashboards import _complete


def _member(period, user) -> MemberResult:
    return db.session.get(MemberResult, (user.id, period.id))


def _unit(period, unit) -> UnitResult:
    return db.session.get(UnitResult, (period.id, unit.id))


def _computed(period, actor=None):
    counts = compute(period, actor)
    db.session.commit()
    return counts


def test_each_member_and_unit_gets_points_a_level_and_an_explanation(year, tree):
    period = year["period"]
    counts = _computed(period, year["admin"])
    assert counts["members"] == 5  # An, Bình, Cường, Em and the secretary; not the admin (no unit)
    an, binh, cuong = (_member(period, year[name]) for name in ("an", "binh", "cuong"))
    assert (an.points, an.suggested) == (100.0, "excellent")
    assert (binh.points, binh.suggested) == (50.0, "completed")
    assert (cuong.points, cuong.suggested) == (0.0, "not_completed")
    assert (an.assigned, an.completed, an.on_time, binh.completed) == (2, 2, 2, 1)
    assert an.rule_set_id == period.rule_set_id
    assert binh.explanation == {"parts": [
        {"term": "completion", "part": 1, "whole": 2, "weight": 50.0, "points": 25.0},
        {"term": "on_time", "part": 1, "whole": 2, "weight": 50.0, "points": 25.0}],
        "left_out": [], "threshold": 50}

    cell_a = _unit(period, tree["cell_a"])
    assert (cell_a.members, cell_a.assigned, cell_a.completed) == (4, 8, 3)
    assert (cell_a.excellent, cell_a.completed_tasks, cell_a.not_completed, cell_a.undecided) == (1, 1, 2, 4)
    assert (cell_a.members_complete, cell_a.members_on_time) == (1, 1)
    assert cell_a.points == 37.5 and cell_a.suggested == "not_completed"  # 3 of 8 lessons, each on time
    province = _unit(period, tree["province"])
    assert (province.members, province.excellent) == (5, 2)
    assert period.computed_at is not None and period.computed_rule_set_id == period.rule_set_id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.PERIOD_COMPUTED.value)).one()
    assert entry.after["members"] == 5


def test_computing_again_from_the_same_data_gives_the_same_results(year):
    period = year["period"]
    _computed(period)

    def snapshot():
        return [(r.user_id, r.unit_id, r.points, r.suggested, r.explanation, r.assigned, r.completed)
                for r in db.session.scalars(select(MemberResult).order_by(MemberResult.user_id))], \
               [(r.unit_id, r.points, r.suggested, r.members, r.excellent, r.good, r.not_completed)
                for r in db.session.scalars(select(UnitResult).order_by(UnitResult.unit_id))]
    first = snapshot()
    db.session.expire_all()
    _computed(period)
    db.session.expire_all()
    assert snapshot() == first


def test_an_override_needs_a_reason_and_moves_the_counts_along_the_line(year, tree):
    period = year["period"]
    _computed(period)
    binh = _member(period, year["binh"])
    with pytest.raises(DomainError):
        decisions.decide_member(year["secretary"], period, binh, "good", "  ")
    decisions.decide_member(year["secretary"], period, binh, "good", "Tích cực  phụ trách\nđoàn thể")
    db.session.commit()
    binh = _member(period, year["binh"])
    assert (binh.decided, binh.decided_on, binh.reason, binh.level) == ("good", "completed",
                                                                        "Tích cực phụ trách đoàn thể", "good")
    for unit in ("cell_a", "grassroots", "province"):
        result = _unit(period, tree[unit])
        assert (result.good, result.completed_tasks) == (1, 0), unit
    assert _unit(period, tree["cell_a"]).undecided == 3
    assert _unit(period, tree["cell_b"]).good == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.LEVEL_DECIDED.value)).one()
    assert (entry.subject_id, entry.after["level"], entry.reason) == (year["binh"].id, "good",
                                                                      "Tích cực phụ trách đoàn thể")


def test_nobody_decides_their_own_level_nor_outside_their_units(year, tree, make_user):
    period = year["period"]
    _computed(period)
    with pytest.raises(OwnRecord):
        decisions.decide_member(year["secretary"], period, _member(period, year["secretary"]), "excellent", "x")
    other = make_user(role="reviewer", unit=tree["cell_b"], name="Bí Thư B", member_of=tree["cell_b"])
    with pytest.raises(OutOfScope):
        decisions.decide_member(other, period, _member(period, year["an"]), "excellent", "")
    with pytest.raises(OutOfScope):  # a unit is decided from above it
        decisions.decide_unit(year["secretary"], period, _unit(period, tree["cell_a"]), "good", "")
    decisions.decide_unit(year["committee"], period, _unit(period, tree["cell_a"]), "completed", "Có tiến bộ")
    assert _unit(period, tree["cell_a"]).decided == "completed"


def test_confirming_a_cell_decides_every_pending_suggestion_but_ones_own(year, tree):
    period = year["period"]
    _computed(period)
    decisions.decide_member(year["secretary"], period, _member(period, year["binh"]), "good", "Lý do")
    assert decisions.confirm_unit_members(year["secretary"], period, tree["cell_a"]) == 2  # An, Cường
    db.session.commit()
    assert _member(period, year["an"]).decided == "excellent"
    assert _member(period, year["binh"]).decided == "good"  # the override stands
    assert _member(period, year["secretary"]).decided is None  # their own record waits for someone above
    assert _unit(period, tree["cell_a"]).undecided == 1
    with pytest.raises(DomainError):
        decisions.confirm_unit_members(year["secretary"], period, tree["cell_a"])


def test_a_new_computation_keeps_overrides_and_lapses_confirmations_whose_suggestion_changed(year, tree):
    period = year["period"]
    _computed(period)
    decisions.decide_member(year["secretary"], period, _member(period, year["cuong"]), "not_completed", "")
    decisions.decide_member(year["secretary"], period, _member(period, year["an"]), "good", "Chưa gương mẫu")
    decisions.decide_member(year["secretary"], period, _member(period, year["binh"]), "completed", "")
    db.session.commit()
    _complete(year["cuong"], year["lessons"][0])  # Cường catches up: 50 points, "completed" now
    db.session.commit()
    counts = _computed(period)
    assert (counts["kept"], counts["lapsed"]) == (2, 1)
    assert _member(period, year["cuong"]).decided is None  # confirmed "not completed": lapsed
    assert _member(period, year["an"]).decided == "good"  # an override: kept
    assert _member(period, year["binh"]).decided == "completed"  # confirmed, and still suggested
    cell_a = _unit(period, tree["cell_a"])
    assert (cell_a.good, cell_a.completed_tasks, cell_a.undecided) == (1, 2, 2)


def test_a_locked_period_changes_nothing_until_an_admin_reopens_it_with_a_reason(year):
    period = year["period"]
    with pytest.raises(DomainError):
        decisions.lock(year["admin"], period)
    _computed(period)
    decisions.lock(year["admin"], period)
    db.session.commit()
    with pytest.raises(DomainError):
        decisions.decide_member(year["secretary"], period, _member(period, year["an"]), "good", "x")
    with pytest.raises(DomainError):
        compute(period)
    with pytest.raises(DomainError):
        periods.set_rules(year["admin"], period, period.rule_set.definition, [])
    with pytest.raises(DomainError):
        decisions.reopen(year["committee"], period, "Sửa sai")  # admins only
    with pytest.raises(DomainError):
        decisions.reopen(year["admin"], period, " ")
    decisions.reopen(year["admin"], period, "Chi bộ A báo cáo thiếu")
    db.session.commit()
    assert not period.locked
    kinds = list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))
    assert AuditKind.PERIOD_LOCKED.value in kinds and kinds[-1] == AuditKind.PERIOD_REOPENED.value


def test_a_member_moved_in_the_year_is_assigned_only_what_fell_due_after(year, tree, make_user, publish_file):
    period = year["period"]
    admin = year["admin"]
    today = vietnam_today()
    early = publish_file("05-ct-tw-2016.md")
    campaigns.create_campaign(admin, CampaignInput("Đợt đầu năm", "", date(today.year, 1, 2), today - timedelta(days=2),
                                                   [early.id], [tree["cell_b"].id]))
    db.session.commit()
    periods.set_rules(admin, period, period.rule_set.definition, [c.id for c in campaigns_of()])
    late = make_user(name="Hà Văn Mới", member_of=tree["cell_b"], admitted_on=today - timedelta(days=1))
    org.move_members(admin, [year["an"].id], tree["cell_b"])  # moved today
    db.session.commit()
    _computed(period)
    # the early campaign (cell B's, closed two days ago) binds neither the one
    # moved there today nor anyone admitted yesterday; the year's campaign binds both
    assert _member(period, year["an"]).assigned == 2
    assert _member(period, year["em"]).assigned == 3  # in cell B all along: the early lesson too
    assert _member(period, late).assigned == 2


def test_a_member_with_nothing_to_be_rated_by_is_not_rated_nor_decided(year, tree):
    admin, first = year["admin"], year["lessons"][0]  # 366-QĐ/TW asks no reflection
    today = vietnam_today()
    quiz_only = campaigns.create_campaign(admin, CampaignInput(
        "Chỉ kiểm tra", "", date(today.year, 1, 2), today + timedelta(days=3), [first.id], [tree["province"].id]))
    period = periods.create_period(admin, "Chỉ tính thu hoạch", today.year, date(today.year, 1, 1),
                                   date(today.year, 12, 31))
    periods.set_rules(admin, period, {"weights": {"completion": 0, "on_time": 0, "quiz_score": 0, "reflections": 100,
                                                  "attendance": 0},
                                      "bands": {"excellent": 90, "good": 70, "completed": 50}, "quota": {}},
                      [quiz_only.id])
    _computed(period)
    an = _member(period, year["an"])
    assert (an.assigned, an.points, an.suggested) == (1, None, None)
    assert an.explanation["left_out"] == ["reflections"]
    assert _unit(period, tree["cell_a"]).members == 0  # nobody rated, nobody counted by level
    with pytest.raises(DomainError):
        decisions.decide_member(year["secretary"], period, an, "good", "Tích cực")
