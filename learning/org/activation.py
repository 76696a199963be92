"""Activation codes: a reviewer prints one for each member, who opens
/activate with it and chooses a password. No e-mail or SMS is assumed:
accounts imported from rosters start without a usable password, and a
forgotten password is replaced the same way.

- Issuing a code revokes the member's earlier unused codes; the code itself
  is returned once, for the printed sheet, and only its hash is stored
  (org.codes). Each member issued to gets an ACTIVATION_ISSUED entry in the
  audit log (never the code).
- A code is used once and expires after ACTIVATION_CODE_DAYS. Using it sets
  the password, ends every sign-in of the member, and is logged
  (ACTIVATION_USED).
- A member is "activated" once they have signed in (User.last_login_at):
  with a code or with a password given some other way.
- A reviewer issues codes only to members without any other role; an
  account that holds a role (reviewer, editor, administrator) gets its
  codes from an administrator, so no reviewer can take over an account
  that reaches further than their own.

What a refusal says: a code that is unknown, used, revoked, or whose
account is deactivated gets one and the same message, so a guess learns
nothing. A code that is right and would still work but for its date says it
has expired: only someone holding the exact code (74 random bits, org.codes)
learns that, and it tells them what to do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from learning.audit.log import entry_values, record, record_many
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.core.permissions import Role, is_admin
from learning.org import codes
from learning.org.accounts import end_sign_in, hash_password
from learning.org.models import ActivationCode, SignIn, Unit, User
from learning.org.scope import covered_units, covers, reviews_unit


class CodeRefused(DomainError):
    """The code cannot be used; the message says only what it may (see above)."""


def not_valid_message() -> str:
    return _("This activation code is not valid: it may be mistyped, already used, or replaced by a newer one. "
             "Check it, or ask your cell secretary for a new one.")


# -- scope -------------------------------------------------------------------

def reviewed_unit(by: User, unit_id: int) -> Unit | None:
    """The unit, if it is active and the reviewer covers it (else the page is a 404)."""
    unit = db.session.get(Unit, unit_id)
    return unit if unit is not None and unit.active and reviews_unit(by, unit) else None


def reviewed_member(by: User, member_id: int) -> User | None:
    """The active member, if the reviewer covers their unit."""
    member = db.session.get(User, member_id)
    if member is None or not member.active or member.unit is None:
        return None
    return member if reviews_unit(by, member.unit) else None


def may_issue_to(by: User, member: User) -> bool:
    """Administrators issue to anyone; reviewers to plain members only."""
    return is_admin(by) or all(grant.role == Role.MEMBER for grant in member.grants)


# -- what the pages show -------------------------------------------------------

@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    depth: int
    members: int
    not_activated: int


def units_overview(by: User) -> list[UnitSummary]:
    """The active units the reviewer covers, in tree order, with how many of
    their members have not activated their account: one query."""
    counts = (select(User.unit_id, func.count(User.id).label("members"),
                     func.count(User.id).filter(User.last_login_at.is_(None)).label("not_activated"))
              .where(User.active.is_(True)).group_by(User.unit_id).subquery())
    query = (covered_units(by).where(Unit.active.is_(True))
             .outerjoin(counts, counts.c.unit_id == Unit.id)
             .add_columns(func.coalesce(counts.c.members, 0), func.coalesce(counts.c.not_activated, 0)))
    rows = db.session.execute(query).all()
    top = min((unit.path.count("/") for unit, *_counts in rows), default=0)
    return [UnitSummary(unit, unit.path.count("/") - top, members, not_activated)
            for unit, members, not_activated in rows]


@dataclass(frozen=True)
class MemberRow:
    member: User
    activated: bool
    may_issue: bool
    last_code: ActivationCode | None  # the latest issued, whatever became of it

    @property
    def code_pending(self) -> bool:
        code = self.last_code
        return code is not None and code.used_at is None and code.revoked_at is None and code.expires_at > utcnow()


def unit_members(by: User, unit: Unit) -> list[MemberRow]:
    """The unit's own active members, in Vietnamese order, with their latest code."""
    members = list(db.session.scalars(
        select(User).where(User.unit_id == unit.id, User.active.is_(True))
        .options(selectinload(User.grants)).order_by(User.name_key, User.id)))
    latest: dict[int, ActivationCode] = {}
    if members:
        for code in db.session.scalars(select(ActivationCode).where(
                ActivationCode.user_id.in_([m.id for m in members])).order_by(ActivationCode.issued_at)):
            latest[code.user_id] = code
    return [MemberRow(m, m.last_login_at is not None, may_issue_to(by, m), latest.get(m.id)) for m in members]


def units_below(by: User, unit: Unit) -> list[Unit]:
    """The unit's active children (all in the reviewer's scope, since the unit is)."""
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id, Unit.active.is_(True),
                                                      covers(by, Unit.path)).order_by(Unit.name)))


# -- issuing -------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedCode:
    """A code as the sheet prints it: the only time it exists in clear."""
    member: User
    code: str  # grouped: XXXXX-XXXXX-XXXXX
    expires_at: datetime


@dataclass(frozen=True)
class Issue:
    codes: list[IssuedCode]
    skipped: int  # members who hold a role: an administrator issues theirs


def select_members(unit: Unit, member_ids: list[int] | None) -> list[User]:
    """The unit's active members who have not activated (None), or those
    chosen by id; DomainError if a chosen one is not (or no longer) a member."""
    query = (select(User).where(User.unit_id == unit.id, User.active.is_(True))
             .options(selectinload(User.grants)).order_by(User.name_key, User.id))
    if member_ids is None:
        return list(db.session.scalars(query.where(User.last_login_at.is_(None))))
    wanted = set(member_ids)
    members = list(db.session.scalars(query.where(User.id.in_(wanted)))) if wanted else []
    if len(members) != len(wanted):
        raise DomainError(_("Some of the chosen members are no longer in this unit: reload the page and choose again."))
    return members


def issue_codes(by: User, members: list[User]) -> Issue:
    """A new code for each member the issuer may issue to, revoking their
    earlier unused codes; one audit entry per member. The codes are returned
    once, for the sheet, and never stored."""
    allowed = [member for member in members if may_issue_to(by, member)]
    now = utcnow()
    expires_at = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    ids = [member.id for member in allowed]
    revoked: dict[int, int] = {}
    if ids:
        unused = (ActivationCode.user_id.in_(ids), ActivationCode.used_at.is_(None), ActivationCode.revoked_at.is_(None))
        revoked = dict(db.session.execute(select(ActivationCode.user_id, func.count()).where(*unused)
                                          .group_by(ActivationCode.user_id)).all())
        db.session.execute(update(ActivationCode).where(*unused).values(revoked_at=now),
                           execution_options={"synchronize_session": False})
    issued, rows = [], []
    for member in allowed:
        code = codes.new_code()
        rows.append(ActivationCode(user_id=member.id, code_hash=codes.code_hash(code), issued_by_id=by.id,
                                   issued_at=now, expires_at=expires_at))
        issued.append(IssuedCode(member, codes.grouped(code), expires_at))
    db.session.add_all(rows)
    db.session.flush()
    record_many(entry_values(AuditKind.ACTIVATION_ISSUED, actor=by, unit=member.unit, subject=member,
                             object_type="activation_code", object_id=row.id, at=now,
                             after={"expires_at": expires_at, "revoked_unused": revoked.get(member.id, 0)})
                for member, row in zip(allowed, rows))
    return Issue(issued, len(members) - len(allowed))


def qr_svg(text: str, title: str) -> Markup:
    """A QR code as an inline <svg> element: a viewBox and one path with a
    stroke attribute, no style attribute or element (the CSP forbids inline
    styles), sized by the stylesheet."""
    svg = segno.make(text, error="m").svg_inline(scale=1, omitsize=True, svgclass="qr", lineclass=None,
                                                 title=title, border=4)
    if "style" in svg:  # segno never writes one with these options; refuse rather than break the page
        raise RuntimeError("segno wrote a style into the QR code's SVG")
    return Markup(svg)


# -- using a code ----------------------------------------------------------------

def activate(typed_code: str, password: str, browser_sign_in: str | None = None) -> User:
    """Set the member's password with a code: the code is used up, every
    sign-in of the member ends (and this browser's, whoever's it was), and
    the member is returned for the view to sign in. CodeRefused, or
    DomainError for a password the rules refuse; nothing changes then."""
    # What was typed may stand for a few codes (a Vietnamese keyboard turns
    # "aa" into "â": codes.readings); one look-up for them all, taken in order.
    hashes = [codes.code_hash(code) for code in codes.readings(typed_code)]
    found = {row.code_hash: row for row in db.session.scalars(
        select(ActivationCode).where(ActivationCode.code_hash.in_(hashes)))} if hashes else {}
    row = next((found[h] for h in hashes if h in found), None)
    member = db.session.get(User, row.user_id) if row is not None else None
    if row is None or row.used_at is not None or row.revoked_at is not None or member is None or not member.active:
        raise CodeRefused(not_valid_message())
    now = utcnow()
    if row.expires_at <= now:
        raise CodeRefused(_("This activation code has expired. Ask your cell secretary for a new one."))
    password_hash = hash_password(password)
    # Single use even when two phones send the same code at once: only one
    # of the two updates finds the code still unused.
    used = db.session.execute(
        update(ActivationCode).where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None),
                                     ActivationCode.revoked_at.is_(None), ActivationCode.expires_at > now)
        .values(used_at=now), execution_options={"synchronize_session": False})
    if used.rowcount != 1:
        raise CodeRefused(not_valid_message())
    end_sign_in(browser_sign_in)
    ended = db.session.execute(update(SignIn).where(SignIn.user_id == member.id, SignIn.ended_at.is_(None))
                               .values(ended_at=now), execution_options={"synchronize_session": False}).rowcount
    member.password_hash = password_hash
    member.last_login_at = now
    record(AuditKind.ACTIVATION_USED, actor=member, unit=member.unit, subject=member,
           object_type="activation_code", object_id=row.id, at=now, after={"sign_ins_ended": ended})
    db.session.flush()
    return member
