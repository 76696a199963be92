"""The organisation tree, and reshaping it: creating, renaming, moving,
merging and closing units, moving members between units, granting and
revoking roles.

Who may do what (checked here, so pages and the command line agree):
admins anywhere (the command line acts as an admin: `actor=None`); a
reviewer within their own subtree: they may rename the unit they review and
add units beneath it, but manage (move, merge, close) only units strictly
beneath it, and never move anything to a place outside it.

A move rewrites the materialised paths of the whole subtree in one UPDATE;
ids never change, so members' attempts and progress, and every audit entry,
stay where they were. A merge moves the members, child units and role
grants (its reviewers) of one unit into another and closes the first, kept
for history; the areas above org follow through `org.signals` (campaigns
assigned to the merged unit pass to the unit it merged into). Every change
writes its audit entry here, in the same transaction. Operations flush,
never commit.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, select, update

from learning.audit.log import changes, entry_values, record, record_many
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.errors import DomainError
from learning.core.input import is_storable, unstorable_message
from learning.core.permissions import Role, is_admin
from learning.org import lineage, signals
from learning.org.models import UNIT_KINDS, RoleGrant, Unit, User
from learning.org.names import tidy
from learning.org.scope import covered_units, outside_scope, reviews_unit
from learning.org.scope import covers as covers_sql

MAX_NAME = 200
MAX_CODE = 40
MAX_PATH = 400


def tidy_code(code: str | None) -> str | None:
    """Codes are matched case-insensitively: stored upper-cased, with no
    spaces around; an empty code is no code."""
    code = (code or "").strip().upper()
    return code or None


def add_unit(name: str, kind: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    if kind not in UNIT_KINDS:
        raise DomainError(_("Unknown kind of unit %(kind)s.", kind=kind))
    unit = Unit(name=name, kind=kind, parent=parent, code=tidy_code(code))
    db.session.add(unit)
    db.session.flush()  # the path needs the id
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    lineage.add(unit)
    return unit


# -- finding units ---------------------------------------------------------------

def find_unit(reference: str | None) -> Unit | None:
    """A unit by its code (any case), or else by its number (id)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    unit = db.session.scalars(select(Unit).where(Unit.code == reference.upper())).first()
    if unit is None and reference.isascii() and reference.isdigit() and len(reference) <= 9:
        unit = db.session.get(Unit, int(reference))
    return unit


def ancestors(unit: Unit) -> list[Unit]:
    """The units above this one, from the top, in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def reviewed_roots(user) -> list[Unit]:
    """The top of a person's scope: for an admin the units without a parent;
    for a reviewer the units they review that no other of their grants covers."""
    if is_admin(user):
        return list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)))
    units = list(db.session.scalars(
        select(Unit).join(RoleGrant, RoleGrant.unit_id == Unit.id)
        .where(RoleGrant.user_id == user.id, RoleGrant.role == Role.REVIEWER).distinct().order_by(Unit.path)))
    return [u for u in units if not any(u is not o and u.path.startswith(o.path) for o in units)]


# -- who may do what -------------------------------------------------------------

def covers(actor, unit: Unit) -> bool:
    """The actor's scope includes this unit (the unit they review, or beneath it)."""
    return actor is None or reviews_unit(actor, unit)


def manages(actor, unit: Unit) -> bool:
    """The actor may move, merge or close this unit: admins any; a reviewer
    those strictly beneath a unit they review."""
    if actor is None or is_admin(actor):
        return True
    grants = Unit.__table__.alias("grant_unit")
    return bool(db.session.scalar(
        select(func.count()).select_from(RoleGrant.__table__)
        .join(grants, grants.c.id == RoleGrant.unit_id)
        .where(RoleGrant.user_id == actor.id, RoleGrant.role == Role.REVIEWER, grants.c.id != unit.id,
               literal(unit.path).like(grants.c.path + "%"))))


class OutOfScope(DomainError):
    """The actor may not act on this unit or person. (Pages check the unit
    their address names first, and answer 404 as if it did not exist.)"""


def require_covers(actor, unit: Unit) -> None:
    if not covers(actor, unit):
        raise OutOfScope(_("This unit is not among the units you review."))


def _require_manages(actor, unit: Unit) -> None:
    require_covers(actor, unit)
    if not manages(actor, unit):
        raise DomainError(_("Only the units beneath the one you review can be moved, merged or closed."))


def require_open(unit: Unit, message: str) -> None:
    if not unit.active:
        raise DomainError(message)


# -- checks on what was typed ------------------------------------------------------

def clean_name(name: str | None) -> str:
    name = tidy(name or "")
    if not is_storable(name):
        raise DomainError(unstorable_message(_("Name")))
    if not name:
        raise DomainError(_("Give the unit a name."))
    if len(name) > MAX_NAME:
        raise DomainError(_("The name is too long (at most %(n)s characters).", n=MAX_NAME))
    return name


def clean_code(code: str | None, unit: Unit | None = None) -> str | None:
    code = tidy_code(code)
    if code is None:
        return None
    if not is_storable(code):
        raise DomainError(unstorable_message(_("Code")))
    if len(code) > MAX_CODE:
        raise DomainError(_("The code is too long (at most %(n)s characters).", n=MAX_CODE))
    taken = db.session.scalars(select(Unit).where(func.upper(Unit.code) == code)).first()
    if taken is not None and taken is not unit:
        raise DomainError(_("The code %(code)s is already used by %(unit)s.", code=code, unit=taken.name))
    return code


def _snapshot(unit: Unit) -> dict:
    return {"name": unit.name, "kind": unit.kind, "code": unit.code, "path": unit.path,
            "parent": unit.parent.name if unit.parent else None}


# -- the operations ------------------------------------------------------------------

def create_unit(actor, name: str, kind: str, parent: Unit | None, code: str | None = None) -> Unit:
    """A new unit under `parent` (None: at the top, admins only)."""
    if parent is None:
        if actor is not None and not is_admin(actor):
            raise DomainError(_("Only administrators can create a unit at the top of the tree."))
    else:
        require_covers(actor, parent)
        require_open(parent, _("%(unit)s is closed: nothing can be added to it.", unit=parent.name))
    name, code = clean_name(name), clean_code(code)
    if kind not in UNIT_KINDS:
        raise DomainError(_("Choose the kind of unit."))
    if parent is not None and len(parent.path) + 12 > MAX_PATH:
        raise DomainError(_("The tree cannot be any deeper here."))
    unit = add_unit(name, kind, parent=parent, code=code)
    record(AuditKind.UNIT_CREATED, actor=actor, unit=unit, object_type="unit", object_id=unit.id,
           after=_snapshot(unit))
    return unit


def change_unit(actor, unit: Unit, name: str, code: str | None) -> Unit:
    """Rename a unit, or change its code (the reviewer's own unit included)."""
    require_covers(actor, unit)
    name, code = clean_name(name), clean_code(code, unit)
    before = {"name": unit.name, "code": unit.code}
    after = {"name": name, "code": code}
    old, new = changes(before, after)
    if not new:
        raise DomainError(_("Nothing was changed."))
    unit.name, unit.code = name, code
    db.session.flush()
    record(AuditKind.UNIT_CHANGED, actor=actor, unit=unit, object_type="unit", object_id=unit.id,
           before=old, after=new)
    return unit


def _rewrite_paths(old_prefix: str, new_prefix: str, parent_of: dict[int, int] | None = None,
                   exclude_id: int | None = None) -> None:
    """One UPDATE: every unit whose path starts with `old_prefix` gets
    `new_prefix` instead, and the units in `parent_of` their new parent."""
    condition = Unit.path.startswith(old_prefix, autoescape=True)
    if exclude_id is not None:
        condition = and_(condition, Unit.id != exclude_id)
    values = {"path": literal(new_prefix) + func.substr(Unit.path, len(old_prefix) + 1)}
    if parent_of:
        values["parent_id"] = case({unit_id: parent for unit_id, parent in parent_of.items()},
                                   value=Unit.id, else_=Unit.parent_id)
    db.session.execute(update(Unit).where(condition).values(**values).execution_options(synchronize_session=False))
    lineage.rebuild(new_prefix)


def _deepest_path(unit: Unit) -> int:
    return db.session.scalar(select(func.max(func.length(Unit.path)))
                             .where(Unit.path.startswith(unit.path, autoescape=True))) or len(unit.path)


def move_unit(actor, unit: Unit, new_parent: Unit) -> Unit:
    """Put a unit, with everything beneath it, under another parent."""
    _require_manages(actor, unit)
    require_covers(actor, new_parent)
    require_open(unit, _("%(unit)s is closed: it cannot be moved.", unit=unit.name))
    require_open(new_parent, _("%(unit)s is closed: nothing can be moved into it.", unit=new_parent.name))
    if new_parent.path.startswith(unit.path):
        raise DomainError(_("A unit cannot be moved under itself or under a unit beneath it."))
    if unit.parent_id == new_parent.id:
        raise DomainError(_("%(unit)s is already directly under %(parent)s.", unit=unit.name, parent=new_parent.name))
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    if _deepest_path(unit) - len(old_path) + len(new_path) > MAX_PATH:
        raise DomainError(_("The tree cannot be any deeper there."))
    before = {"path": old_path, "parent": unit.parent.name if unit.parent else None}
    old_parent_id, new_parent_id = unit.parent_id, new_parent.id
    # Nobody's unit changes, but everyone beneath now counts under other units above.
    member_ids = list(db.session.scalars(select(User.id).join(Unit, Unit.id == User.unit_id)
                                         .where(Unit.path.startswith(old_path, autoescape=True)).order_by(User.id)))
    db.session.flush()
    _rewrite_paths(old_path, new_path, parent_of={unit.id: new_parent_id})
    _expire_units()
    record(AuditKind.UNIT_MOVED, actor=actor, unit=unit, object_type="unit", object_id=unit.id,
           before=before, after={"path": unit.path, "parent": new_parent.name})
    if member_ids:
        signals.members_moved.send(None, unit_ids=[i for i in (old_parent_id, new_parent_id) if i is not None],
                                   member_ids=member_ids)
    return unit


def _expire_units() -> None:
    """The UPDATE went around the ORM: units loaded before read their new
    paths and parents on next use."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (Unit, User)):
            db.session.expire(obj)


def merge_units(actor, source: Unit, target: Unit) -> Unit:
    """`source`'s members, child units and role grants move to `target`;
    `source` is closed, and kept for history."""
    _require_manages(actor, source)
    require_covers(actor, target)
    if source.id == target.id:
        raise DomainError(_("Choose another unit to merge into."))
    require_open(source, _("%(unit)s is already closed.", unit=source.name))
    require_open(target, _("%(unit)s is closed: nothing can be merged into it.", unit=target.name))
    if target.path.startswith(source.path):
        raise DomainError(_("A unit cannot be merged into a unit beneath it."))
    if _deepest_path(source) - len(source.path) + len(target.path) > MAX_PATH:
        raise DomainError(_("The tree cannot be any deeper there."))
    source_id, target_id, source_path, target_path = source.id, target.id, source.path, target.path
    members = list(db.session.scalars(select(User).where(User.unit_id == source_id).order_by(User.id)))
    member_ids = [m.id for m in members]
    moved_rows = [entry_values(AuditKind.MEMBER_MOVED, actor=actor, unit=target, subject=m, object_type="user",
                               object_id=m.id, before={"unit": source.name, "path": source_path},
                               after={"unit": target.name, "path": target_path}, reason=None) for m in members]
    child_ids = list(db.session.scalars(select(Unit.id).where(Unit.parent_id == source_id)))
    grant_rows = _pass_grants(actor, source, target)
    db.session.flush()
    if member_ids:
        db.session.execute(update(User).where(User.unit_id == source_id).values(unit_id=target_id)
                           .execution_options(synchronize_session=False))
    if child_ids:
        _rewrite_paths(source_path, target_path, parent_of={i: target_id for i in child_ids}, exclude_id=source_id)
    db.session.execute(update(Unit).where(Unit.id == source_id).values(active=False)
                       .execution_options(synchronize_session=False))
    _expire_units()
    record(AuditKind.UNIT_MERGED, actor=actor, unit=source, object_type="unit", object_id=source_id,
           before={"unit": source.name, "path": source_path, "active": True},
           after={"into": target.name, "into_path": target_path, "into_id": target_id, "active": False,
                  "members_moved": len(member_ids), "units_moved": len(child_ids),
                  "reviewers_moved": len(grant_rows)})
    record_many(moved_rows)
    record_many(grant_rows)
    signals.members_moved.send(None, unit_ids=[source_id, target_id], member_ids=member_ids)
    signals.unit_merged.send(None, source=source, target=target, actor=actor)
    return target


def _pass_grants(actor, source: Unit, target: Unit) -> list[dict]:
    """The roles held on `source` pass to `target` (a reviewer of the merged
    unit reviews the unit it merged into), except where the person already
    holds that role there: the grant on `source` is then dropped. The audit
    entries, one per grant, are returned for the caller to record: a grant
    passed shows as granted on the target (before: the unit it came from), a
    duplicate dropped as revoked from the source (after: merged into)."""
    grants = list(db.session.scalars(select(RoleGrant).where(RoleGrant.unit_id == source.id).order_by(RoleGrant.id)))
    if not grants:
        return []
    held = set(db.session.execute(select(RoleGrant.user_id, RoleGrant.role)
                                  .where(RoleGrant.unit_id == target.id)).all())
    rows = []
    for grant in grants:
        person = grant.user
        if (grant.user_id, grant.role) in held:
            rows.append(entry_values(AuditKind.ROLE_REVOKED, actor=actor, unit=source, subject=person,
                                     object_type="role_grant", object_id=grant.id,
                                     before={"role": grant.role, "unit": source.name},
                                     after={"merged_into": target.name}))
            if "grants" in person.__dict__ and grant in person.grants:
                person.grants.remove(grant)  # delete-orphan, as revoke_role
            else:
                db.session.delete(grant)
        else:
            rows.append(entry_values(AuditKind.ROLE_GRANTED, actor=actor, unit=target, subject=person,
                                     object_type="role_grant", object_id=grant.id, before={"unit": source.name},
                                     after={"role": grant.role, "unit": target.name}))
            grant.unit_id = target.id
    db.session.flush()
    for grant in grants:
        if grant in db.session:
            db.session.expire(grant)
    return rows


def close_unit(actor, unit: Unit) -> Unit:
    """Close a unit that has no active member and no open unit beneath it."""
    _require_manages(actor, unit)
    require_open(unit, _("%(unit)s is already closed.", unit=unit.name))
    members = db.session.scalar(select(func.count()).select_from(User)
                                .where(User.unit_id == unit.id, User.active.is_(True))) or 0
    units = db.session.scalar(select(func.count()).select_from(Unit).where(
        Unit.path.startswith(unit.path, autoescape=True), Unit.id != unit.id, Unit.active.is_(True))) or 0
    if members or units:
        raise DomainError(_("%(unit)s still has %(members)s active members and %(units)s open units beneath it: "
                            "move or close them first.", unit=unit.name, members=members, units=units))
    unit.active = False
    db.session.flush()
    record(AuditKind.UNIT_CLOSED, actor=actor, unit=unit, object_type="unit", object_id=unit.id,
           before={"active": True}, after={"active": False})
    return unit


def move_members(actor, member_ids: list[int], target: Unit) -> list[User]:
    """Move members to another unit; their attempts and progress stay theirs."""
    require_covers(actor, target)
    require_open(target, _("%(unit)s is closed: nobody can be moved into it.", unit=target.name))
    if not member_ids:
        raise DomainError(_("Choose at least one member to move."))
    members = list(db.session.scalars(select(User).where(User.id.in_(set(member_ids)))))
    if len(members) != len(set(member_ids)) or any(m.unit_id is None for m in members) or (
            actor is not None and outside_scope(actor, sorted({m.unit_id for m in members}))):
        raise OutOfScope(_("Some of these people are not members of the units you review."))
    moving = [m for m in members if m.unit_id != target.id]
    if not moving:
        raise DomainError(_("They are already members of %(unit)s.", unit=target.name))
    rows = [entry_values(AuditKind.MEMBER_MOVED, actor=actor, unit=target, subject=m, object_type="user",
                         object_id=m.id, before={"unit": m.unit.name, "path": m.unit.path},
                         after={"unit": target.name, "path": target.path}) for m in moving]
    left = sorted({m.unit_id for m in moving})
    moved_ids = [m.id for m in moving]
    db.session.flush()
    db.session.execute(update(User).where(User.id.in_(moved_ids)).values(unit_id=target.id, unit_since=vietnam_today())
                       .execution_options(synchronize_session=False))
    for member in moving:
        db.session.expire(member)
    record_many(rows)
    signals.members_moved.send(None, unit_ids=[*left, target.id], member_ids=moved_ids)
    return moving


# -- what the pages show ------------------------------------------------------------------

MEMBERS_PER_PAGE = 50


def unit_members(unit: Unit, page: int = 1):
    """A page of the unit's own members, Vietnamese order; and whether more follow."""
    rows = list(db.session.scalars(select(User).where(User.unit_id == unit.id)
                                   .order_by(User.name_key, User.id)
                                   .offset((page - 1) * MEMBERS_PER_PAGE).limit(MEMBERS_PER_PAGE + 1)))
    return rows[:MEMBERS_PER_PAGE], len(rows) > MEMBERS_PER_PAGE


def count_members(unit: Unit) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.unit_id == unit.id)) or 0


def children_with_counts(parent_ids: list[int]) -> dict[int, list[tuple[Unit, int, int]]]:
    """For each parent, its children (open first, then by name) with the
    number of units beneath each and of active members in each subtree. Per
    parent, two grouped queries over its subtree (its units' paths, its
    members counted per unit), summed here by the child each path passes
    through: no query per child, and no join on LIKE between units."""
    if not parent_ids:
        return {}
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id.in_(parent_ids))
                                       .order_by(Unit.active.desc(), Unit.name)))
    grouped: dict[int, list] = {i: [] for i in parent_ids}
    parents = {c.parent_id: c.parent for c in children}
    for parent_id, parent in parents.items():
        units_below: dict[int, int] = {}
        members_below: dict[int, int] = {}
        in_subtree = Unit.path.startswith(parent.path, autoescape=True)
        members = dict(db.session.execute(
            select(User.unit_id, func.count()).join(Unit, Unit.id == User.unit_id)
            .where(in_subtree, User.active.is_(True)).group_by(User.unit_id)).all())
        for unit_id, path in db.session.execute(select(Unit.id, Unit.path).where(in_subtree, Unit.id != parent_id)):
            child_id = int(path[len(parent.path):].split("/", 1)[0])
            if unit_id != child_id:
                units_below[child_id] = units_below.get(child_id, 0) + 1
            members_below[child_id] = members_below.get(child_id, 0) + members.get(unit_id, 0)
        grouped[parent_id] = [(c, units_below.get(c.id, 0), members_below.get(c.id, 0))
                              for c in children if c.parent_id == parent_id]
    return grouped


def scope_size(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Unit)
                             .where(covers_sql(user, Unit.path), Unit.active.is_(True))) or 0


def scope_units(user, limit: int) -> list[Unit]:
    """The open units of the scope, in tree order, for a small scope's <select>."""
    return list(db.session.scalars(covered_units(user).where(Unit.active.is_(True)).limit(limit)))

