"""The web tests' shared worlds: `year`, a computed evaluation's starting
point (used by the evaluation's results, pages and exports tests)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learning.campaigns import operations as campaigns
from learning.campaigns.models import Campaign
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.evaluation import periods
from tests.web.test_dashboards import _complete


@pytest.fixture
def year(tree, make_user, publish_file):
    """One campaign for the province, two lessons. Cell A: An completes both,
    Bình one, Cường none; cell B: Em completes both. Rules: 50/50 completion
    and on time; bands 90 / 70 / 50."""
    first, second = publish_file("366-qd-tw-2025.md"), publish_file("57-nq-tw-2024.md")
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    today = vietnam_today()
    campaigns.create_campaign(admin, CampaignInput("Học tập năm", "", date(today.year, 1, 2), today + timedelta(days=3),
                                                   [first.id, second.id], [tree["province"].id]))
    period = periods.create_period(admin, "Đánh giá năm", today.year, date(today.year, 1, 1),
                                   date(today.year, 12, 31))
    periods.set_rules(admin, period, {"weights": {"completion": 50, "on_time": 50, "quiz_score": 0,
                                                  "reflections": 0, "attendance": 0},
                                      "bands": {"excellent": 90, "good": 70, "completed": 50},
                                      "quota": {"excellent_of_good": 20}}, [c.id for c in campaigns_of()])
    db.session.commit()
    people = {name: make_user(name=full, member_of=tree[cell]) for name, full, cell in (
        ("an", "Nguyễn Văn An", "cell_a"), ("binh", "Lê Thị Bình", "cell_a"), ("cuong", "Phạm Văn Cường", "cell_a"),
        ("em", "Đỗ Thị Em", "cell_b"))}
    for name, lessons in (("an", [first, second]), ("binh", [first]), ("em", [first, second])):
        for lesson in lessons:
            _complete(people[name], lesson)
    secretary = make_user(role="reviewer", unit=tree["cell_a"], name="Bí Thư A", member_of=tree["cell_a"])
    committee = make_user(role="reviewer", unit=tree["grassroots"], name="Đảng Ủy Xã", member_of=None)
    db.session.commit()
    return {"period": period, "admin": admin, "secretary": secretary, "committee": committee,
            "lessons": (first, second), **people}


def campaigns_of():
    return list(db.session.scalars(select(Campaign)))


