"""Which units a reviewer covers: a reviewer's grant covers its unit and
everything beneath it."""
from __future__ import annotations

from learning.core.permissions import is_admin
from learning.org.models import Unit


def reviews_unit(user, unit: Unit) -> bool:
    if is_admin(user):
        return True
    return any(
        g.role == "reviewer" and g.unit is not None and g.unit.contains(unit) for g in user.grants
    )
