"""Who may reach which route: the mechanism, and the roles' predicates.

Views declare a route policy with `@requires(POLICY)`; a before-request hook
(core.security) refuses any endpoint that declared none (fail closed).
Object-level questions ("may this reviewer see that unit?") are answered
once each, by the area that owns the object, in its `access.py` (reviewer
scope: org/scope.py), so views, templates and exports all ask the same code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from learning.core.enums import LabelledEnum


class Role(LabelledEnum):
    MEMBER = "member", _l("member")
    REVIEWER = "reviewer", _l("reviewer")  # scoped to a unit's subtree (org.scope)
    EDITOR = "editor", _l("editor")
    ADMIN = "admin", _l("admin")


def anyone(_user) -> bool:
    """The predicate of policies that check no role."""
    return True


@dataclass(frozen=True)
class Policy:
    name: str
    needs_sign_in: bool
    allows: Callable[[Any], bool] = anyone
    # The view's statements check the member themselves (owner_condition with
    # a session token): the request does not load the signed-in user at all.
    checked_by_statements: bool = False

    @property
    def checks_roles(self) -> bool:
        """Whether the signed-in user must be loaded to be let in: a public
        page loads nobody before its view runs (a template may, lazily)."""
        return self.allows is not anyone


def is_editor(user) -> bool:
    return user.has_role(Role.EDITOR) or user.has_role(Role.ADMIN)


def is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def is_reviewer(user) -> bool:
    """Holds a reviewer grant somewhere (which units: org.scope), or is an admin."""
    return user.has_role(Role.REVIEWER) or is_admin(user)


def manages_campaigns(user) -> bool:
    """Editors and admins everywhere; reviewers within their own units."""
    return is_editor(user) or user.has_role(Role.REVIEWER)


PUBLIC = Policy("public", needs_sign_in=False)
SIGNED_IN = Policy("signed_in", needs_sign_in=True)
EDITORS = Policy("editors", needs_sign_in=True, allows=is_editor)
ADMINS = Policy("admins", needs_sign_in=True, allows=is_admin)
# Reviewers' pages: the route admits any reviewer; each object is then checked
# against the reviewer's units (org.scope), so another subtree is a 404.
REVIEWERS = Policy("reviewers", needs_sign_in=True, allows=is_reviewer)
CAMPAIGN_MANAGERS = Policy("campaign_managers", needs_sign_in=True, allows=manages_campaigns)
# Saving an answer and submitting, the hottest routes: a member's session
# reaches the view unverified, and each statement admits only the owner of the
# attempt with a live session (owner_condition), so no query loads the user.
ATTEMPT_OWNER = Policy("attempt_owner", needs_sign_in=True, checked_by_statements=True)


def requires(policy: Policy):
    """Attach a route policy to a view; enforced in learning.core.security."""

    def decorate(view):
        view.access_policy = policy
        return view

    return decorate
