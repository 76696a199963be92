"""Who reaches the evaluation: its periods and rules are the whole tree's,
so admins and reviewers of a unit at the top of the tree (org.scope)."""
from __future__ import annotations

from learning.core.permissions import Policy, Role, is_admin
from learning.org.scope import reviews_a_top_unit


def may_manage_periods(user) -> bool:
    if is_admin(user):
        return True
    if not user.has_role(Role.REVIEWER) or getattr(user, "id", None) is None:
        return False
    return reviews_a_top_unit(user)


PERIOD_MANAGERS = Policy("period_managers", needs_sign_in=True, allows=may_manage_periods)
