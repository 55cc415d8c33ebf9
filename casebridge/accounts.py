"""People's accounts: invitations (one-time links, 72 hours), passwords (argon2id), enrolling
the second factor (`casebridge.second_factor`), disabling and resetting.

Who may invite whom: a coordinator anyone to any organisation; an organisation's admin only
caseworkers and admins of their own organisation; the console (`by=None`) anyone. The
coordinator role exists only in a coordinator organisation.

Sessions live on the web side: `disable` and `reset` take `end_sessions(user_id)`, which ends
every session of the person at once."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis import Redis
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from . import clean, phones
from .datakeys import DataKeys
from .models import Invite, Organisation, Role, User, utcnow
from .models.encrypted import session_keys
from .sealed import open_text
from .second_factor import FACTORS, SMS, TOTP, check_sms_code, check_totp, new_totp_secret

INVITE_LIFETIME = timedelta(hours=72)
MIN_PASSWORD = 12
MAX_PASSWORD = 256
WEAK_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "passwordpassword",
        "password1234",
        "qwertyuiopas",
        "qwerty123456",
        "bismillah123",
        "indonesia123",
        "iloveyou1234",
        "aaaaaaaaaaaa",
        "000000000000",
        "111111111111",
        "pengaduan123",
        "admin1234567",
    }
)
"""Refused although long enough (besides any password that is one repeated character)."""
ENROL_LIFETIME = timedelta(minutes=20)
"""How long a chosen password and factor wait for the confirming code during enrolment."""

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_DUMMY_HASH = _hasher.hash("not a password of anyone " + secrets.token_hex(8))
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_ENROL = "pgd:enrol:"


class AccountError(ValueError):
    """A request the rules refuse; `key` names the page text that says why."""

    def __init__(self, message: str, key: str = "account_refused"):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Link:
    """A one-time link for the person; the token is shown here once and never stored."""

    user: User
    url: str


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(text: str) -> str:
    email = (text or "").strip().lower()
    if len(email) > 254 or clean.text(email) != email or not _EMAIL.match(email):
        raise AccountError(f"{text!r} is not an email address", "account_bad_email")
    return email


def state(user: User) -> str:
    """invited (no password or factor yet), active or disabled."""
    if not user.active:
        return "disabled"
    return "active" if user.ready else "invited"


def may_invite(by: User | None, org: Organisation, role: str) -> bool:
    """Whether `by` (None: the console) may give `role` in `org`."""
    if role not in tuple(Role):
        return False
    if role == Role.COORDINATOR and not org.is_coordinator:
        return False
    if by is None or by.role == Role.COORDINATOR:
        return True
    return by.role == Role.ORG_ADMIN and role != Role.COORDINATOR and by.organisation_id == org.id


def find_user(session: Session, email: str) -> User | None:
    try:
        return session.scalar(select(User).where(User.email == normalise_email(email)))
    except AccountError:
        return None


def people(session: Session, org: Organisation | None = None) -> list[User]:
    """Everyone with an account (in `org`), by organisation and email."""
    query = select(User).join(Organisation, Organisation.id == User.organisation_id)
    if org is not None:
        query = query.where(User.organisation_id == org.id)
    return list(session.scalars(query.order_by(Organisation.code, User.email)))


def _new_link(session: Session, user: User, base_url: str) -> Link:
    now = utcnow()
    for old in session.scalars(
        select(Invite).where(
            Invite.user_id == user.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    session.add(
        Invite(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + INVITE_LIFETIME,
        )
    )
    session.flush()
    return Link(user, f"{base_url.rstrip('/')}/invite/{token}")


def invite(
    session: Session,
    *,
    email: str,
    org: Organisation,
    role: str,
    base_url: str,
    by: User | None = None,
    name: str | None = None,
    phone: str | None = None,
) -> Link:
    """Invite a person (the account is made if new); a person who already has an account they
    can use is refused (reset it instead)."""
    email = normalise_email(email)
    if role not in tuple(Role):
        raise AccountError(f"no role {role!r}: one of {', '.join(Role)}", "account_bad_role")
    if not may_invite(by, org, role):
        raise AccountError(f"may not invite a {role} to {org.code}", "account_not_allowed")
    if not org.active:
        raise AccountError(f"{org.code} is not active", "account_not_allowed")
    number = None
    if phone:
        number = phones.normalise(phone)
        if number is None:
            raise AccountError(f"{phone!r} is not a phone number", "account_bad_phone")
    name = " ".join(clean.text(name or "").split())[:200] or email.split("@")[0]
    user = session.scalar(select(User).where(User.email == email))
    if user is not None:
        if user.organisation_id != org.id:
            raise AccountError(f"{email} has an account in another organisation", "account_exists")
        if not user.active:
            raise AccountError(f"{email} is disabled; reset it to let them back", "account_exists")
        if user.ready:
            raise AccountError(f"{email} already has an account: reset it", "account_exists")
        user.role, user.name = role, name
        user.phone = number or user.phone
    else:
        user = User(
            email=email,
            name=name,
            phone=number,
            organisation_id=org.id,
            role=role,
            invited_by_id=by.id if by is not None else None,
        )
        try:
            with session.begin_nested():  # two invitations of one new email at once: one wins
                session.add(user)
        except IntegrityError as exc:
            raise AccountError(f"{email} was invited just now", "account_exists") from exc
    return _new_link(session, user, base_url)


def open_invite(session: Session, token: str) -> Invite | None:
    """The invitation behind a link, while it may still be used; None for an unknown, used,
    revoked or expired one (all alike)."""
    if not token or len(token) > 100:
        return None
    found = session.scalar(select(Invite).where(Invite.token_hash == _token_hash(token)))
    if found is None or found.used_at is not None or found.revoked_at is not None:
        return None
    if _aware(found.expires_at) <= utcnow() or not found.user.active:
        return None
    return found


def check_password(password: str, again: str | None = None) -> None:
    """AccountError unless the password is acceptable (and the same twice, when given)."""
    if again is not None and password != again:
        raise AccountError("the two passwords differ", "account_password_mismatch")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"at least {MIN_PASSWORD} characters", "account_password_short")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"at most {MAX_PASSWORD} characters", "account_password_long")
    if password.lower() in WEAK_PASSWORDS or len(set(password)) <= 2:
        raise AccountError("too easy to guess", "account_password_weak")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(session: Session, email: str, password: str) -> User | None:
    """The person whose account this email and password open (ready to sign in), or None.
    An unknown email costs the same hash as a known one."""
    user = find_user(session, email)
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD])
        matched = stored is not _DUMMY_HASH
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched or user is None or not user.ready or not user.organisation.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


# --- enrolment: the invitation's password and second factor ----------------------------------


@dataclass(frozen=True)
class Enrolment:
    """A chosen password (hashed) and factor, waiting for the code that confirms the factor."""

    factor: str
    totp_secret: str | None = None


def begin_enrolment(
    redis: Redis, invite_: Invite, password: str, again: str, factor: str
) -> Enrolment:
    """Check the password and remember it with the chosen factor until a code confirms it
    (SMS: the caller sends the code with `send_sms_code`)."""
    check_password(password, again)
    if factor not in FACTORS:
        raise AccountError(f"no second factor {factor!r}", "account_bad_factor")
    if factor == SMS and not invite_.user.phone:
        raise AccountError("the account has no phone for SMS codes", "account_no_phone")
    secret = new_totp_secret() if factor == TOTP else ""
    keys = _keys(invite_)
    key = _ENROL + str(invite_.id)
    sealed = {"hash": keys.encrypt(hash_password(password)), "secret": keys.encrypt(secret)}
    redis.hset(key, mapping={**sealed, "factor": factor})
    redis.expire(key, int(ENROL_LIFETIME.total_seconds()))
    return Enrolment(factor, secret or None)


def _keys(invite_: Invite) -> DataKeys:
    """The data keys of the invitation's database: a waiting password hash and TOTP secret
    are sealed in Redis as they are in the database."""
    return session_keys(object_session(invite_))


def _pending(redis: Redis, invite_: Invite) -> dict[str, str] | None:
    """The waiting enrolment opened (password hash, factor, secret), or None (none, expired,
    or sealed under a key no longer held)."""
    found = {
        (k.decode() if isinstance(k, bytes) else k): v
        for k, v in redis.hgetall(_ENROL + str(invite_.id)).items()
    }
    factor = found.get("factor")
    factor = factor.decode() if isinstance(factor, bytes) else factor
    keys = _keys(invite_)
    password_hash = open_text(keys, found.get("hash"))
    secret = open_text(keys, found.get("secret"))
    if not password_hash or factor not in FACTORS or secret is None:
        return None
    return {"hash": password_hash, "factor": factor, "secret": secret}


def pending_enrolment(redis: Redis, invite_: Invite) -> Enrolment | None:
    found = _pending(redis, invite_)
    if found is None:
        return None
    return Enrolment(found["factor"], found["secret"] or None)


def finish_enrolment(
    session: Session,
    redis: Redis,
    invite_: Invite,
    code: str,
    end_sessions: Callable[[int], int],
) -> User | None:
    """With the right code, the password and factor become the person's and the link is used
    up; returns the person, or None (the code was wrong or the enrolment expired)."""
    key = _ENROL + str(invite_.id)
    pending = _pending(redis, invite_)
    if pending is None:
        return None
    user = invite_.user
    if pending["factor"] == TOTP:
        ok = check_totp(redis, user.id, pending["secret"], code)
    else:
        ok = check_sms_code(redis, _keys(invite_), user.id, code)
    if not ok:
        return None
    user.password_hash = pending["hash"]
    user.second_factor = pending["factor"]
    user.totp_secret = pending["secret"] or None
    invite_.used_at = utcnow()
    session.flush()
    redis.delete(key)
    end_sessions(user.id)
    return user


# --- disabling and resetting -----------------------------------------------------------------


def may_manage(by: User | None, user: User) -> bool:
    """Whether `by` (None: the console) may disable or reset `user`."""
    if by is None or by.role == Role.COORDINATOR:
        return True
    return (
        by.role == Role.ORG_ADMIN
        and by.organisation_id == user.organisation_id
        and user.role != Role.COORDINATOR
    )


def disable(
    session: Session, user: User, end_sessions: Callable[[int], int], by: User | None = None
) -> None:
    """The person can no longer sign in; every session of theirs ends now."""
    if not may_manage(by, user):
        raise AccountError(f"may not disable {user.email}", "account_not_allowed")
    if user.active:
        user.active = False
        user.disabled_at = utcnow()
    for old in session.scalars(
        select(Invite).where(
            Invite.user_id == user.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
        )
    ):
        old.revoked_at = utcnow()
    session.flush()
    end_sessions(user.id)


def reset(
    session: Session,
    user: User,
    base_url: str,
    end_sessions: Callable[[int], int],
    by: User | None = None,
) -> Link:
    """Password and second factor cleared, every session ended, older links revoked, and a
    new link; a disabled person is let back in by it."""
    if not may_manage(by, user):
        raise AccountError(f"may not reset {user.email}", "account_not_allowed")
    user.password_hash = None
    user.second_factor = None
    user.totp_secret = None
    user.active = True
    user.disabled_at = None
    link = _new_link(session, user, base_url)
    end_sessions(user.id)
    return link


def coordinators_exist(session: Session) -> bool:
    """Whether any coordinator can sign in (active, with a password and a second factor)."""
    found = select(User.id).where(
        User.role == Role.COORDINATOR,
        User.active.is_(True),
        User.password_hash.is_not(None),
        User.second_factor.is_not(None),
    )
    return session.scalar(found.limit(1)) is not None
