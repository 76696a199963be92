"""Each member's evidence for a period (evaluation.evidence), read from the
study: the lessons the period's campaigns bind them to, once each, and
their progress; exempt members and campaigns outside the period left out.
Then the pure arithmetic turns it into points and a level."""
from datetime import date, timedelta

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.evaluation import periods
from learning.evaluation.evidence import evidence_beneath
from learning.evaluation.rules import DEFAULT_RULES, Evidence, Level, validate
from learning.evaluation.scoring import evaluate
from learning.study import reading
from tests.web.test_dashboards import _complete


def test_evidence_counts_each_bound_lesson_once_and_only_the_periods_campaigns(tree, make_user, publish_file):
    plain = publish_file("366-qd-tw-2025.md")  # a quiz, no reflection
    reflective = publish_file()  # asks for a reflection
    other = publish_file("57-nq-tw-2024.md")
    admin = make_user(role="admin", name="Quản Trị", member_of=None)
    today = vietnam_today()

    def campaign(title, lessons, unit, closes_on):
        made = campaigns.create_campaign(admin, CampaignInput(title, "", today - timedelta(days=5), closes_on,
                                                              [lesson.id for lesson in lessons], [unit.id]))
        db.session.commit()
        return made
    campaign("Toàn tỉnh", [plain, reflective], tree["province"], today + timedelta(days=20))
    campaign("Chi bộ A nhắc lại", [plain], tree["cell_a"], today + timedelta(days=20))
    campaign("Năm sau", [other], tree["province"], date(today.year + 1, 3, 1))  # closes outside the period
    period = periods.create_period(admin, "Đánh giá", today.year, date(today.year, 1, 1), date(today.year, 12, 31))
    db.session.commit()
    an = make_user(name="Nguyễn Văn An", member_of=tree["cell_a"])
    binh = make_user(name="Lê Thị Bình", member_of=tree["cell_b"])
    exempt = make_user(name="Trần Văn Miễn", member_of=tree["cell_a"], exempt=True)
    _complete(an, plain)
    reading.record_opened(binh, reflective)
    db.session.commit()

    found = evidence_beneath(period, tree["province"])
    assert found[an.id] == Evidence(assigned=2, completed=1, on_time=1, scored=1, score_sum=100.0,
                                    reflections_due=1, reflections_passed=0)
    assert found[binh.id] == Evidence(assigned=2, reflections_due=1)
    assert exempt.id not in found and admin.id not in found  # exempt; a member of no unit
    assert set(evidence_beneath(period, tree["cell_b"])) == {binh.id}

    rules, _ = validate(DEFAULT_RULES)
    result = evaluate(found[an.id], rules)
    # completion 1/2 × 40 + on time 1/2 × 20 + score (100 of 2 lessons) 1/2 × 20 + reflections 0/1 × 20
    assert (result.points, result.level) == (40.0, Level.NOT_COMPLETED)
