"""People: passwords, sign-in look-up, creating accounts with their roles."""
from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.core.permissions import Role
from learning.org import tallies
from learning.org.access import live_sign_in, signed_in_after
from learning.org.models import ROLES, RoleGrant, SignIn, Unit, User

MIN_PASSWORD_LENGTH = 8

# The password hash of an account that no password opens: members imported
# from a roster until they activate their account with a code a reviewer
# prints (activation sets a real hash; "not yet activated" is
# last_login_at IS NULL, which an imported account has). Argon2 refuses it as
# a hash (InvalidHashError), so `authenticate` fails whatever is typed.
NOT_ACTIVATED = "!not-activated"


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["PASSWORD_HASH_TIME_COST"],
        memory_cost=cfg["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=cfg["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    return _hasher().hash(password)


def normalise_login(identifier: str) -> str:
    """Card numbers and phone numbers are typed with spaces, dots and +84."""
    compact = re.sub(r"[\s.\-()]", "", identifier or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    return compact.upper()


# Verifying against a real hash when the account does not exist keeps the
# response time the same, so sign-in does not reveal who has an account.
_DUMMY_HASH_CACHE: dict[tuple, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[key] = hasher.hash("not-a-real-password")
    return _DUMMY_HASH_CACHE[key]


def authenticate(identifier: str, password: str) -> User | None:
    """The active user with this card number or phone and password, or None."""
    user = find_by_login(identifier)
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def find_by_login(identifier: str) -> User | None:
    login = normalise_login(identifier)
    return db.session.scalars(
        select(User).where(or_(User.party_card_number == login, User.phone == login))
    ).first() if login else None


def start_sign_in(user: User) -> str:
    """A new sign-in for this browser; its token goes in the session cookie."""
    sign_in = SignIn(user_id=user.id)
    db.session.add(sign_in)
    db.session.flush()
    user.sign_in_token = sign_in.token
    return sign_in.token


def end_sign_in(token: str | None) -> None:
    """Signing out: this sign-in ends for good, the others go on."""
    if token:
        db.session.execute(update(SignIn).where(SignIn.token == token, SignIn.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def forget_old_sign_ins(now: datetime | None = None) -> int:
    """Delete the sign-ins no cookie can use any more: ended or expired. For
    cron: the server refuses them anyway, this keeps the table small."""
    result = db.session.execute(delete(SignIn).where(
        or_(SignIn.ended_at.is_not(None), SignIn.created_at <= signed_in_after(now))))
    return result.rowcount


def load_by_session_token(token: str) -> User | None:
    """The signed-in user, checked on every request that needs them, so
    signing out or deactivating someone takes effect at once. Saving an answer
    and submitting never call this: their statements check the sign-in
    (permissions.ATTEMPT_OWNER). Roles load only when a page asks for them."""
    user = db.session.scalars(
        select(User).join(SignIn, SignIn.user_id == User.id).where(*live_sign_in(token, signed_in_after()))
    ).first()
    if user is not None:
        user.sign_in_token = token
    return user


def create_user(
    *,
    full_name: str,
    password: str,
    unit: Unit | None = None,
    party_card_number: str | None = None,
    phone: str | None = None,
    roles: list[tuple[str, Unit | None]] | None = None,
    **profile,
) -> User:
    if not (party_card_number or phone):
        raise DomainError(_("A Party card number or a phone number is needed to sign in."))
    for login in filter(None, (party_card_number, phone)):
        # Sign-in accepts either, so no card number may equal anyone's phone.
        if find_by_login(login) is not None:
            raise DomainError(_("%(login)s is already used to sign in by another account.", login=login))
    user = User(
        full_name=full_name,
        party_card_number=normalise_login(party_card_number) if party_card_number else None,
        phone=normalise_login(phone) if phone else None,
        password_hash=hash_password(password),
        unit=unit,
        **profile,
    )
    for role, scope in roles or [("member", None)]:
        if role not in ROLES:
            raise DomainError(_("Unknown role %(role)s.", role=role))
        if role == Role.REVIEWER and scope is None:
            raise DomainError(_("A reviewer needs the unit they review."))
        user.grants.append(RoleGrant(role=role, unit=scope))
    db.session.add(user)
    db.session.flush()
    tallies.add_member(user)
    return user
