"""The demo organisation that `make run` loads, as the README describes it."""
from sqlalchemy import func, select

from learning import demo
from learning.core import db
from learning.core.permissions import is_admin, is_editor
from learning.models import Campaign, Lesson, Unit, User
from learning.org.accounts import authenticate
from learning.org.scope import reviews_unit


def test_demo_organisation_matches_the_readme(app):
    demo.load_demo_organisation()
    db.session.commit()
    cells = db.session.scalars(select(Unit).where(Unit.kind == "cell").order_by(Unit.id)).all()
    assert len(cells) == 4
    assert len(db.session.scalars(select(Unit).where(Unit.kind == "grassroots")).all()) == 2
    for number, cell in enumerate(cells, start=1):
        secretary = authenticate(demo.demo_phone(number, 1), demo.DEMO_PASSWORD)
        assert secretary is not None and secretary.unit_id == cell.id
        assert reviews_unit(secretary, cell)
        assert not any(reviews_unit(secretary, other) for other in cells if other is not cell)
        members = [authenticate(demo.demo_phone(number, n), demo.DEMO_PASSWORD) for n in range(2, 9)]
        assert all(m is not None and m.unit_id == cell.id and not m.has_role("reviewer") for m in members)
    assert is_editor(authenticate(demo.EDITOR_PHONE, demo.DEMO_PASSWORD))
    assert is_admin(authenticate(demo.ADMIN_PHONE, demo.DEMO_PASSWORD))
    assert authenticate("79010001", demo.DEMO_PASSWORD).phone == demo.demo_phone(1, 1)  # card number works too


def test_setup_without_demo_loads_no_account(app):
    """A real installation runs `flask setup`: the shipped lessons, and no
    demo accounts with their published password."""
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Lesson)) >= 6
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0
    assert authenticate(demo.ADMIN_PHONE, demo.DEMO_PASSWORD) is None


def test_setup_with_demo_loads_lessons_and_campaigns_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup", "--demo"])
    assert first.exit_code == 0, first.output
    assert len(db.session.scalars(select(Campaign)).all()) == 2
    again = runner.invoke(args=["setup", "--demo"])
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    assert len(db.session.scalars(select(Campaign)).all()) == 2
    assert runner.invoke(args=["demo"]).exit_code != 0  # refuses to load it twice


def test_the_demo_gives_reviewers_something_to_follow(app):
    """Codes for rosters, a committee reviewing each grassroots organisation,
    and study under way, through the real operations."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["setup", "--demo"]).exit_code == 0
    codes = set(db.session.scalars(select(Unit.code).where(Unit.kind == "cell")))
    assert codes == {"TL-DT", "TL-KN", "QT-KP1", "QT-KP2"}
    committee = authenticate(demo.COMMITTEE_PHONES["TL"], demo.DEMO_PASSWORD)
    cells = db.session.scalars(select(Unit).where(Unit.code.in_(["TL-DT", "TL-KN", "QT-KP1"]))).all()
    assert [reviews_unit(committee, cell) for cell in sorted(cells, key=lambda c: c.code)] == [False, True, True]
    province_reviewer = authenticate(demo.PROVINCE_REVIEWER_PHONE, demo.DEMO_PASSWORD)
    assert all(reviews_unit(province_reviewer, cell) for cell in cells)
    from learning.models import Attempt, LessonProgress
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.status == "submitted")) >= 8
    waiting = select(func.count()).select_from(LessonProgress).where(LessonProgress.reflection_submitted_at.is_not(None))
    assert db.session.scalar(waiting) >= 4
