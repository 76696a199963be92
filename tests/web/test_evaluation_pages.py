"""The year's evaluation as reviewers and members use it, through the pages:
compute as a job, read a grassroots organisation's results with its quota,
override a member's level (a reason required, what was typed kept),
confirm a cell, lock (nothing moves, a late grade included), reopen with a
reason; a member's own criterion; another unit's reviewer sees nothing."""
import re

from sqlalchemy import select

from learning.core import db
from learning.evaluation.models import MemberResult, Period
from learning.jobs.models import Job, JobStatus
from tests.web.test_dashboards import _complete


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _compute_as(client, login, admin, period):
    login(admin)
    response = client.submit(f"/evaluation/periods/{period.id}/compute", token_from=f"/evaluation/periods/{period.id}")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert (job.kind, job.status) == ("evaluation.compute", JobStatus.DONE)
    client.submit("/logout", token_from="/")
    return job


def test_a_reviewer_computes_reads_overrides_and_confirms(client, login, year, tree):
    period = year["period"]
    job = _compute_as(client, login, year["admin"], period)
    assert job.result["members"] == 5
    login(year["committee"])
    page = _text(client.get(f"/evaluation/periods/{period.id}/units/{tree['grassroots'].id}"))
    assert "Chi bộ A" in page and "Chi bộ B" in page
    # An and Em excellent, nobody good: 20% of 0 good allows none
    assert "Vượt chỉ tiêu" in page or "Over the quota" in page
    client.submit("/logout", token_from="/")

    login(year["secretary"])
    cell = f"/evaluation/periods/{period.id}/units/{tree['cell_a'].id}"
    page = _text(client.get(cell))
    assert "Nguyễn Văn An" in page and "Lê Thị Bình" in page
    binh = f"/evaluation/periods/{period.id}/members/{year['binh'].id}"
    refused = client.submit(f"{binh}/decision", {"level": "good", "reason": ""}, token_from=binh)
    assert refused.status_code == 400
    assert 'value="good" checked' in refused.get_data(as_text=True)  # the choice is kept
    done = client.submit(f"{binh}/decision", {"level": "good", "reason": "Phụ trách đoàn thanh niên"}, token_from=binh)
    assert done.status_code == 302
    shown = _text(client.get(binh))
    assert "Phụ trách đoàn thanh niên" in shown
    confirmed = client.submit(f"{cell}/confirm", token_from=cell)
    assert confirmed.status_code == 302
    levels = dict(db.session.execute(select(MemberResult.user_id, MemberResult.decided)).all())
    assert levels[year["binh"].id] == "good" and levels[year["an"].id] == "excellent"
    assert levels[year["secretary"].id] is None  # their own record
    assert f"{cell}/confirm" not in client.get(cell).get_data(as_text=True)  # nothing left for them to confirm
    own = client.get(f"/evaluation/periods/{period.id}/members/{year['secretary'].id}")
    assert own.status_code == 200 and 'name="level"' not in own.get_data(as_text=True)


def test_after_the_lock_a_late_grade_moves_nothing_until_reopened(client, login, year, tree):
    period = year["period"]
    _compute_as(client, login, year["admin"], period)
    login(year["admin"])
    period_page = f"/evaluation/periods/{period.id}"
    assert client.submit(f"{period_page}/lock", token_from=period_page).status_code == 302
    before = db.session.get(MemberResult, (year["cuong"].id, period.id)).points
    _complete(year["cuong"], year["lessons"][0])  # done after the lock
    db.session.commit()
    assert client.submit(f"{period_page}/compute", token_from=period_page).status_code == 400
    cuong = f"/evaluation/periods/{period.id}/members/{year['cuong'].id}"
    assert client.submit(f"{cuong}/decision", {"level": "good", "reason": "x"},
                         token_from=period_page).status_code == 400
    db.session.expire_all()
    assert db.session.get(MemberResult, (year["cuong"].id, period.id)).points == before
    assert client.submit(f"{period_page}/reopen", {"reason": " "}, token_from=period_page).status_code == 400
    assert client.submit(f"{period_page}/reopen", {"reason": "Chi bộ A báo cáo thiếu"},
                         token_from=period_page).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Period, period.id).locked


def test_a_member_sees_their_own_criterion_and_another_reviewer_sees_none_of_it(client, login, year, tree,
                                                                                 make_user):
    period = year["period"]
    _compute_as(client, login, year["admin"], period)
    login(year["binh"])
    mine = _text(client.get("/evaluation/mine"))
    assert period.name in mine and "50" in mine
    assert client.get(f"/evaluation/periods/{period.id}/units/{tree['cell_a'].id}").status_code == 403
    client.submit("/logout", token_from="/")
    outsider = make_user(role="reviewer", unit=tree["cell_b"], name="Bí Thư B", member_of=tree["cell_b"])
    login(outsider)
    for path in (f"/evaluation/periods/{period.id}/units/{tree['cell_a'].id}",
                 f"/evaluation/periods/{period.id}/units/{tree['grassroots'].id}",
                 f"/evaluation/periods/{period.id}/members/{year['an'].id}"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/evaluation/periods/{period.id}/units/{tree['cell_b'].id}").status_code == 200
