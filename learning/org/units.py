"""The organisation tree."""
from __future__ import annotations

from flask_babel import gettext as _

from learning.core import db
from learning.core.errors import DomainError
from learning.org.models import UNIT_KINDS, Unit


def add_unit(name: str, kind: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    if kind not in UNIT_KINDS:
        raise DomainError(_("Unknown kind of unit %(kind)s.", kind=kind))
    unit = Unit(name=name, kind=kind, parent=parent, code=code)
    db.session.add(unit)
    db.session.flush()  # the path needs the id
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    return unit
