"""The one place that decides who may do what.

Views declare a route policy with `@requires(POLICY)`; a before-request hook
refuses any endpoint that declared none (fail closed). Object-level questions
("may this reviewer see that unit?") are functions here too, so views,
templates and exports all ask the same code.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import bindparam, select

from learning.models import Campaign, Lesson, SignIn, Unit, User


@dataclass(frozen=True)
class Policy:
    name: str
    needs_sign_in: bool
    allows: Callable[[User], bool]
    # The view's statements check the member themselves (owner_condition with
    # a session token): the request does not load the signed-in user at all.
    checked_by_statements: bool = False


def is_editor(user: User) -> bool:
    return user.has_role("editor") or user.has_role("admin")


def is_admin(user: User) -> bool:
    return user.has_role("admin")


def manages_campaigns(user: User) -> bool:
    """Editors and admins everywhere; reviewers within their own units."""
    return is_editor(user) or user.has_role("reviewer")


PUBLIC = Policy("public", needs_sign_in=False, allows=lambda user: True)
SIGNED_IN = Policy("signed_in", needs_sign_in=True, allows=lambda user: True)
EDITORS = Policy("editors", needs_sign_in=True, allows=is_editor)
ADMINS = Policy("admins", needs_sign_in=True, allows=is_admin)
CAMPAIGN_MANAGERS = Policy("campaign_managers", needs_sign_in=True, allows=manages_campaigns)
# Saving an answer and submitting, the hottest routes: a member's session
# reaches the view unverified, and each statement admits only the owner of the
# attempt with a live session (owner_condition), so no query loads the user.
ATTEMPT_OWNER = Policy("attempt_owner", needs_sign_in=True, allows=lambda user: True, checked_by_statements=True)


def requires(policy: Policy):
    """Attach a route policy to a view; enforced in learning.web.security."""

    def decorate(view):
        view.access_policy = policy
        return view

    return decorate


def can_read_lesson(user: User, lesson: Lesson) -> bool:
    """Members read published lessons; editors also see archived ones."""
    if lesson.state == "published":
        return True
    return lesson.state == "archived" and lesson.latest_version_number > 0 and is_editor(user)


def reviews_unit(user: User, unit: Unit) -> bool:
    """A reviewer's grant covers its unit and everything beneath it."""
    if is_admin(user):
        return True
    return any(
        g.role == "reviewer" and g.unit is not None and g.unit.contains(unit) for g in user.grants
    )


def can_assign_to(user: User, unit: Unit) -> bool:
    """Who may assign a study campaign to a unit (and so to everyone below it)."""
    return is_editor(user) or reviews_unit(user, unit)


def can_view_campaign(user: User, campaign: Campaign) -> bool:
    return is_editor(user) or (bool(campaign.units) and all(reviews_unit(user, unit) for unit in campaign.units))


def owns_attempt(user_id: int, owner_id: int | None) -> bool:
    """Only the member who started an attempt may see, answer or submit it.
    Ids, not objects: the hot paths check an attempt without loading it."""
    return owner_id is not None and owner_id == user_id


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


def live_sign_in(token, signed_in_after):
    """The conditions on a sign-in (joined to its user) under which its
    cookie still signs in: not signed out, begun within a session's lifetime,
    of an account that is active."""
    sign_ins, users = SignIn.__table__, User.__table__
    return (sign_ins.c.token == token, sign_ins.c.ended_at.is_(None), sign_ins.c.created_at > signed_in_after,
            users.c.active.is_(True))


def owner_condition(owner_id_column, by_session: bool):
    """owns_attempt in SQL, with the bind parameters of Member.params(). By
    session, only a live sign-in matches, so signing out or deactivating takes
    effect at once here too."""
    if not by_session:
        return owner_id_column == bindparam("member")
    users, sign_ins = User.__table__, SignIn.__table__
    after = bindparam("signed_in_after", type_=sign_ins.c.created_at.type)
    live = (select(sign_ins.c.user_id).join(users, users.c.id == sign_ins.c.user_id)
            .where(*live_sign_in(bindparam("member", type_=sign_ins.c.token.type), after)))
    return owner_id_column == live.scalar_subquery()
