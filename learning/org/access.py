"""Whom a statement acts for, and the SQL that checks a sign-in is live.

The hottest routes (saving an answer, submitting) do not load the member:
the session cookie's sign-in token reaches their statements, and
`owner_condition` admits only the owner of a live sign-in, so signing out or
deactivating someone takes effect at once there too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, current_app, session
from flask_login import current_user
from sqlalchemy import bindparam, select

from learning.core.db import utcnow
from learning.core.security import SESSION_USER_KEY
from learning.org.models import SignIn, User


@dataclass(frozen=True)
class Member:
    """Whom a statement acts for: a user already loaded and checked (by id),
    or, on ATTEMPT_OWNER routes, a sign-in token nobody has checked yet, valid
    only if the sign-in began after `signed_in_after` (its lifetime)."""
    user_id: int | None = None
    session_token: str | None = None
    signed_in_after: datetime | None = None

    @property
    def by_session(self) -> bool:
        return self.user_id is None

    def params(self) -> dict[str, Any]:
        """The bind parameters owner_condition's SQL takes."""
        if self.by_session:
            return {"member": self.session_token, "signed_in_after": self.signed_in_after}
        return {"member": self.user_id}

def signed_in_after(now: datetime | None = None) -> datetime:
    """Sign-ins begun before this have expired: a sign-in lasts a session's
    lifetime (PERMANENT_SESSION_LIFETIME) from when it began, however often
    its cookie is rewritten since."""
    return (now or utcnow()) - current_app.permanent_session_lifetime


def live_sign_in(token, signed_in_after):
    """The conditions on a sign-in (joined to its user) under which its
    cookie still signs in: not signed out, begun within a session's lifetime,
    of an account that is active."""
    sign_ins, users = SignIn.__table__, User.__table__
    return (sign_ins.c.token == token, sign_ins.c.ended_at.is_(None), sign_ins.c.created_at > signed_in_after,
            users.c.active.is_(True))


def owner_condition(owner_id_column, by_session: bool):
    """"This row belongs to the member" in SQL, with the bind parameters of
    Member.params(). By session, only a live sign-in matches."""
    if not by_session:
        return owner_id_column == bindparam("member")
    users, sign_ins = User.__table__, SignIn.__table__
    after = bindparam("signed_in_after", type_=sign_ins.c.created_at.type)
    live = (select(sign_ins.c.user_id).join(users, users.c.id == sign_ins.c.user_id)
            .where(*live_sign_in(bindparam("member", type_=sign_ins.c.token.type), after)))
    return owner_id_column == live.scalar_subquery()


def request_member() -> Member:
    """The member of an ATTEMPT_OWNER route, as its statements check them:
    the session's token, signed by us but not yet checked against the
    account. (A "remember me" sign-in has put it in the session by now.)"""
    return Member(session_token=session[SESSION_USER_KEY], signed_in_after=signed_in_after())


def signed_out_or_not_found():
    """An ATTEMPT_OWNER statement admitted no one. If the session has ended
    (account deactivated, token replaced), sign in again like on any page;
    otherwise the row is not this member's. Loads the user: rare path."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    abort(404)
