"""The organisation: units of any depth (provincial committee to cell), the
people in them, the roles they hold and their sign-ins."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum
from learning.core.permissions import Role
from learning.org.names import name_columns


class UnitKind(LabelledEnum):
    """Kinds of unit, top to bottom. The tree's depth varies between provinces
    and has changed over time (districts removed in 2025), so nothing assumes
    a level."""
    PROVINCE = "province", _l("provincial committee")
    COMMITTEE = "committee", _l("committee")
    GRASSROOTS = "grassroots", _l("grassroots organisation")
    CELL = "cell", _l("cell")
    GROUP = "group", _l("Party group")


UNIT_KINDS = tuple(UnitKind)


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Materialised path of ids ("/1/4/9/"): a subtree is one prefix query.
    # Moving a unit rewrites the paths below it; ids never change, so history holds.
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"


class UnitAncestor(Base):
    """A unit's line upwards (org.lineage): the unit itself (depth 0), then
    each unit above it but the top of its tree. What is counted per unit is
    kept for every unit of a member's line, so a page sums its children's rows
    instead of everything beneath them."""

    __tablename__ = "unit_ancestors"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    ancestor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    depth: Mapped[int] = mapped_column()  # 0: the unit itself; 1: its parent...


class MemberTally(Base):
    """How many rated members (active, not exempt) a unit has: directly in it
    (beneath false), and in the units beneath it (true, kept for the units of
    their lines: org.tallies)."""

    __tablename__ = "member_tallies"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    beneath: Mapped[bool] = mapped_column(primary_key=True, default=False)
    members: Mapped[int] = mapped_column(default=0)


ROLES = tuple(Role)

# Byte order on PostgreSQL too, whatever the database's collation.
NAME_KEY_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Base):
    __tablename__ = "users"
    # Members counted per unit (the follow-up dashboards) read this index alone.
    __table_args__ = (Index("ix_users_unit_rated", "unit_id", "active", "exempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Vietnamese order (org.names.sort_key), kept with the name: lists of
    # members sort on it in the database. Core inserts must set it too.
    name_key: Mapped[str] = mapped_column(NAME_KEY_TYPE, index=True, default="")
    # The name without case or diacritics (org.names.folded): what reviewers
    # search members by. Kept with the name like name_key; Core inserts set it too.
    search_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    party_card_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    membership: Mapped[str] = mapped_column(String(20), default="full")  # full | probationary
    exempt: Mapped[bool] = mapped_column(default=False)  # miễn sinh hoạt: not rated
    admitted_on: Mapped[date | None]  # ngày vào Đảng
    # The day they were moved to their current unit (None: there from the
    # start): the evaluation assigns them only what fell due after it.
    unit_since: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The token of the sign-in this request came with (not stored on the user):
    # Flask-Login keeps it in the session cookie.
    sign_in_token = None

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        if self.sign_in_token is None:  # signing in without a sign-in would store no session
            raise RuntimeError("call accounts.start_sign_in(user) before login_user(user)")
        return self.sign_in_token

    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @validates("full_name")
    def _keep_name_key(self, _field: str, full_name: str) -> str:
        for column, value in name_columns(full_name).items():
            setattr(self, column, value)
        return full_name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.full_name!r}>"


class SignIn(Base):
    """One signed-in browser. Its session cookie carries the token, not the
    user's id, so signing out ends this sign-in for good (a copy of the cookie
    is worthless after), and deactivating the account ends them all."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class RoleGrant(Base):
    """A role held by a person; a reviewer's grant is scoped to a unit's subtree."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship()


class ActivationCode(Base):
    """A one-time code a reviewer prints for a member, who opens /activate
    with it and chooses a password (an imported account has none that works;
    a forgotten password is replaced the same way). Only a hash of the code
    is kept (org.codes says why SHA-256): the printed sheet is the only place
    the code ever appears. A new code revokes the member's earlier unused
    ones; a code is used once, and expires."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
