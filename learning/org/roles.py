"""Roles granted and revoked, scoped to a unit: who may grant which, and the
grants a unit's page lists. A reviewer grant covers a unit's subtree (the
scope rules are org.units'); editor and admin apply everywhere, and only
admins grant them. Every change is audited by the operation."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.errors import DomainError
from learning.core.permissions import Role, is_admin
from learning.org.accounts import find_by_login
from learning.org.models import RoleGrant, Unit, User
from learning.org.units import OutOfScope, covers, require_covers, require_open

GRANTABLE_ROLES = (Role.REVIEWER, Role.EDITOR, Role.ADMIN)


def may_grant(actor, role: str, unit: Unit | None) -> bool:
    """Reviewer grants: admins, and reviewers for units in their subtree;
    editor and admin grants (everywhere): admins only."""
    if actor is None or is_admin(actor):
        return True
    return role == Role.REVIEWER and unit is not None and covers(actor, unit)


def grantable_roles(actor) -> list[Role]:
    return list(GRANTABLE_ROLES) if actor is None or is_admin(actor) else [Role.REVIEWER]


def find_person(actor, login: str | None) -> User:
    """A person by Party card number or phone; a reviewer finds only the
    members of the units they review."""
    person = find_by_login(login or "")
    if person is None or (actor is not None and not is_admin(actor)
                          and (person.unit is None or not covers(actor, person.unit))):
        raise DomainError(_("Nobody among the members you can see has this Party card number or phone number."))
    return person


def grant_role(actor, person: User, role: str, unit: Unit | None) -> RoleGrant:
    """Reviewer grants are for a unit's subtree; editor and admin apply
    everywhere (they are stored without a unit)."""
    if role not in GRANTABLE_ROLES:
        raise DomainError(_("Choose a role to grant."))
    if role == Role.REVIEWER:
        if unit is None:
            raise DomainError(_("A reviewer needs the unit they review."))
        require_covers(actor, unit)
        require_open(unit, _("%(unit)s is closed: nobody can review it.", unit=unit.name))
    else:
        unit = None
    if not may_grant(actor, role, unit):
        raise DomainError(_("Only administrators can grant the editor and administrator roles."))
    existing = db.session.scalars(select(RoleGrant).where(
        RoleGrant.user_id == person.id, RoleGrant.role == role,
        RoleGrant.unit_id == unit.id if unit is not None else RoleGrant.unit_id.is_(None))).first()
    if existing is not None:
        raise DomainError(_("%(person)s already holds this role.", person=person.full_name))
    grant = RoleGrant(user_id=person.id, role=str(role), unit_id=unit.id if unit else None)
    db.session.add(grant)
    db.session.flush()
    record(AuditKind.ROLE_GRANTED, actor=actor, unit=unit, subject=person, object_type="role_grant",
           object_id=grant.id, after={"role": str(role), "unit": unit.name if unit else None})
    return grant


def may_revoke(actor, grant: RoleGrant) -> bool:
    return may_grant(actor, grant.role, grant.unit)


def revoke_role(actor, grant: RoleGrant) -> None:
    """End one grant; nothing else ends with it. Nobody revokes their own
    last administrator or reviewer grant (they would lock themselves out)."""
    if not may_revoke(actor, grant):
        raise OutOfScope(_("This role is not among those you can revoke."))
    if actor is not None and grant.user_id == actor.id:
        others = db.session.scalar(select(func.count()).select_from(RoleGrant).where(
            RoleGrant.user_id == actor.id, RoleGrant.role == grant.role, RoleGrant.id != grant.id)) or 0
        if grant.role in (Role.ADMIN, Role.REVIEWER) and not others:
            raise DomainError(_("You cannot revoke your own last %(role)s role.", role=Role.label_of(grant.role)))
    person, unit = grant.user, grant.unit
    record(AuditKind.ROLE_REVOKED, actor=actor, unit=unit, subject=person, object_type="role_grant",
           object_id=grant.id, before={"role": grant.role, "unit": unit.name if unit else None})
    if "grants" in person.__dict__ and grant in person.grants:
        person.grants.remove(grant)  # delete-orphan: the row goes, and the loaded person forgets the role
    else:
        db.session.delete(grant)
    db.session.flush()


def role_holders(unit: Unit) -> list[RoleGrant]:
    """The reviewer grants of this unit, in the Vietnamese order of names."""
    return list(db.session.scalars(select(RoleGrant).join(User, User.id == RoleGrant.user_id)
                                   .where(RoleGrant.unit_id == unit.id).order_by(User.name_key)))


def global_grants() -> list[RoleGrant]:
    """Editors and administrators (their roles apply everywhere)."""
    return list(db.session.scalars(select(RoleGrant).join(User, User.id == RoleGrant.user_id)
                                   .where(RoleGrant.role.in_([Role.EDITOR, Role.ADMIN]))
                                   .order_by(RoleGrant.role, User.name_key)))
