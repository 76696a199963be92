"""One commit per request, in one place (learning/core/lifecycle.py): a view
that returns a response below 400 has its work committed; an error response
or an exception rolls all of it back. Views never commit themselves."""
import pytest
from sqlalchemy import func, select

from learning.core import db
from learning.core.permissions import PUBLIC, requires
from learning.models import Unit, UnitAncestor
from learning.org.units import add_unit


def _count_units() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Unit))


@pytest.fixture
def lifecycle_app(database_url):
    """An app with test routes that each write a unit, then answer in one way."""
    from learning import create_app
    from learning.core.lifecycle import unit_of_work
    from tests.conftest import FAST_HASH

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "t", **FAST_HASH})

    def writes_then(answer):
        @requires(PUBLIC)
        def view():
            add_unit("Chi bộ thử", "cell")
            return answer()
        return view

    def fails():
        raise RuntimeError("an operation failed half-way")

    for name, answer in (("ok", lambda: "ok"), ("redirect", lambda: ("", 302, {"Location": "/"})),
                         ("refused", lambda: ("no", 422)), ("boom", fails)):
        app.add_url_rule(f"/test-{name}", f"test_{name}", unit_of_work(writes_then(answer)), methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    yield app
    with app.app_context():
        db.session.execute(UnitAncestor.__table__.delete())
        db.session.execute(Unit.__table__.delete())
        db.session.commit()
    db.dispose(app)


@pytest.mark.parametrize("route, status, kept", [("ok", 200, 1), ("redirect", 302, 1), ("refused", 422, 0)])
def test_a_response_below_400_commits_and_an_error_response_rolls_back(lifecycle_app, route, status, kept):
    client = lifecycle_app.test_client()
    assert client.post(f"/test-{route}").status_code == status
    with lifecycle_app.app_context():
        assert _count_units() == kept


def test_an_exception_rolls_everything_back(lifecycle_app):
    lifecycle_app.config["PROPAGATE_EXCEPTIONS"] = False
    client = lifecycle_app.test_client()
    assert client.post("/test-boom").status_code == 500
    with lifecycle_app.app_context():
        assert _count_units() == 0


def test_no_view_commits_or_rolls_back_itself():
    """The rule, read off the code: only the lifecycle (and the database
    plumbing it calls) commits."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "learning"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.parent.name != "core" and (".commit()" in path.read_text() or ".rollback()" in path.read_text())]
    assert offenders == []
