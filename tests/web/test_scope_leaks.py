"""A reviewer sees exactly their subtree. This walks every reviewers' route
(every route whose policy admits reviewers, other than a member's own pages)
as the reviewer of ANOTHER grassroots organisation, with the ids of one
organisation's units, members, campaigns, attempts and answers, and proves
that nothing leaks: an object of the other subtree is a 404 (or a 403), a
list or dashboard of one's own never names anyone or anything of the other,
and no POST changes anything."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from learning.audit.models import AuditEntry
from learning.campaigns import operations as campaigns
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.permissions import Role
from learning.evaluation import periods
from learning.evaluation.compute import compute
from learning.evaluation.models import MemberResult
from learning.lessons.authoring import KINDS
from learning.org import units as org
from learning.org.roster import operations as roster
from learning.study.answers import IncomingAnswer
from learning.study.attempts import start_attempt
from learning.study.submission import answer_by_form

# Routes of a member's own study (their attempts are checked by owner, with
# their own tests) and public pages are not reviewers' routes.
MEMBER_OWN = {"learn", "quiz", "auth", "misc", "edit"}
SECRET_NAMES = ("Đảng Viên Bên Kia", "Chi bộ Bên Kia", "Đảng bộ Bên Kia", "Đợt Học Bên Kia")
# An evaluation period is the whole tree's: every reviewer opens its page,
# which lists only their own units (the names above must still not show).
WHOLE_TREE = {"evaluation.period"}


@pytest.fixture
def two_subtrees(app, tree, make_user, publish_file):
    """tree's grassroots organisation is 'ours'; a second one beside it under
    the province holds everything the walk must not reach."""
    lesson = publish_file()
    theirs = org.add_unit("Đảng bộ Bên Kia", "grassroots", parent=tree["province"], code="BK")
    their_cell = org.add_unit("Chi bộ Bên Kia", "cell", parent=theirs, code="BK-1")
    db.session.commit()
    their_reviewer = make_user("reviewer", unit=theirs, member_of=their_cell, name="Bí Thư Bên Kia")
    their_member = make_user(member_of=their_cell, name="Đảng Viên Bên Kia")
    campaign = campaigns.create_campaign(their_reviewer, campaigns.CampaignInput(
        "Đợt Học Bên Kia", "", vietnam_today(), vietnam_today(), [lesson.id], [theirs.id]))
    version = lesson.versions[-1]
    attempt = start_attempt(their_member, lesson, version)
    answers = [IncomingAnswer(q.key, KINDS[q.kind].model_values(q.data) or ["Bài thu hoạch bên kia. " * 40])
               for q in version.questions]
    answer_by_form(attempt, answers, submit=True, confirmed=True)
    db.session.commit()
    reflection = next(a for a in attempt.answers if a.question_key in {
        q.key for q in version.questions if not KINDS[q.kind].auto_graded})
    roster_job = roster.start_check(their_reviewer, "bk.csv", "Họ và tên,Số thẻ đảng viên,Mã chi bộ,Trạng thái\n"
                                    "Đảng Viên Bên Kia,79880001,BK-1,Chính thức\n".encode())
    db.session.commit()
    our_reviewer = make_user("reviewer", unit=tree["grassroots"], name="Bí Thư Bên Này")
    today = vietnam_today()
    period = periods.create_period(None, "Đánh giá năm", today.year, date(today.year, 1, 1),
                                   date(today.year, 12, 31))
    compute(period)  # their member's result and their units' are what the walk must not reach
    db.session.commit()
    assert db.session.get(MemberResult, (their_member.id, period.id)) is not None
    # Every URL argument a reviewers' route takes, pointing into their subtree.
    values = {
        "unit_id": their_cell.id, "member_id": their_member.id, "user_id": their_member.id,
        "campaign_id": campaign.id, "attempt_id": attempt.id, "answer_id": reflection.id,
        "lesson_id": lesson.id, "slug": lesson.slug, "number": 1, "code": "vi",
        "grant_id": next(g.id for g in their_reviewer.grants if g.role == Role.REVIEWER),
        "job_id": roster_job.id, "upload_id": roster_job.params["upload_id"],
        "period_id": period.id,
    }
    return {"values": values, "ours": our_reviewer, "lesson": lesson}


def _reviewer_routes(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        policy = getattr(view, "access_policy", None)
        if rule.endpoint == "static" or rule.endpoint.split(".")[0] in MEMBER_OWN or policy is None:
            continue
        if not policy.allows(_Holder(Role.REVIEWER)):
            continue
        yield rule


class _Holder:
    """Someone holding one role, to ask a policy who it admits."""

    def __init__(self, role):
        self.role = role

    def has_role(self, role) -> bool:
        return role == self.role


def test_a_reviewer_of_another_organisation_reaches_nothing_of_it(app, client, login, two_subtrees):
    values = two_subtrees["values"]
    login(two_subtrees["ours"])
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own test; this one is about scope
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    walked = 0
    for rule in _reviewer_routes(app):
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give the walk a value of the other subtree for {missing}"
        url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"reason": "x", "comment": "x", "name": "x"})
            body = response.get_data().decode("utf-8", "replace")  # a sample .xlsx is binary
            walked += 1
            if rule.endpoint in WHOLE_TREE:
                assert response.status_code == 200, f"GET {url} gave {response.status_code}"
            elif rule.arguments and method == "GET":
                assert response.status_code in (403, 404), f"GET {url} gave {response.status_code}"
            elif method == "POST":
                assert response.status_code in (400, 403, 404), f"POST {url} gave {response.status_code}"
            else:
                assert response.status_code in (200, 302), f"GET {url} gave {response.status_code}"
            leaked = [name for name in SECRET_NAMES if name in body]
            assert not leaked, f"{method} {url} shows {leaked}"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
    assert walked >= 2
