"""The second factor of a sign-in: an authenticator app's TOTP codes (pyotp), or a 6-digit
code by SMS to the account's phone. Used codes and pending SMS codes are kept in Redis (an SMS
code only as a hash), so every web process sees the same."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

import pyotp
from redis import Redis
from sqlalchemy.orm import Session

from . import outbox, texts
from .datakeys import DataKeys
from .models import User
from .models.encrypted import session_keys

TOTP = "totp"
SMS = "sms"
FACTORS = (TOTP, SMS)
SMS_CODE_LIFETIME = timedelta(minutes=10)
SMS_CODES_PER_HOUR = 5
"""At most this many codes are sent to one person in an hour (each costs an SMS and could
be used to pester their phone)."""
ISSUER = "Pengaduan"
SIGN_IN_CODE = "sign_in_code"
"""The outbox purpose of an SMS sign-in code."""

_TOTP_USED = "pgd:totp-used:"
_SMS_CODE = "pgd:sms-code:"
_SMS_SENT = "pgd:sms-codes-sent:"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def check_totp(redis: Redis, user_id: int, secret: str, code: str) -> bool:
    """A code from the app, within one 30-second step either side, and never the same code
    twice for the person while it could still be valid."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6) or not secret:
        return False
    if not pyotp.TOTP(secret).verify(code, valid_window=1):
        return False
    return bool(redis.set(f"{_TOTP_USED}{user_id}:{code}", 1, nx=True, ex=120))


def _sms_hashes(keys: DataKeys, user_id: int, code: str) -> list[str]:
    """The code keyed by the data keys (a plain hash of six digits is undone in a moment):
    what is stored under the current key, and what matches under any."""
    return keys.indexes(f"sign-in code:{user_id}:{code}")


def send_sms_code(
    session: Session, redis: Redis, user: User, provider: str, phone: str | None = None
) -> int | None:
    """Queue a new 6-digit sign-in code by SMS (the one before it stops working); returns the
    outbox message id to enqueue after the commit, or None when nothing was queued (no phone,
    `SMS_CODES_PER_HOUR` reached, or the number said STOP)."""
    phone = phone or user.phone
    if not phone:
        return None
    sent = redis.pipeline(transaction=True)
    sent.set(_SMS_SENT + str(user.id), 0, ex=3600, nx=True)
    sent.incr(_SMS_SENT + str(user.id))
    if sent.execute()[1] > SMS_CODES_PER_HOUR:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    redis.set(
        _SMS_CODE + str(user.id),
        _sms_hashes(session_keys(session), user.id, code)[0],
        ex=int(SMS_CODE_LIFETIME.total_seconds()),
    )
    body = texts.render("sign_in_code", user.language, code=code)
    message = outbox.queue(session, phone, body, SIGN_IN_CODE, provider)
    return message.id if message is not None else None


def check_sms_code(redis: Redis, keys: DataKeys, user_id: int, code: str) -> bool:
    """The code last sent to the person, within 10 minutes; it works once."""
    code = (code or "").strip()
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    key = _SMS_CODE + str(user_id)
    stored = redis.get(key)
    if stored is None:
        return False
    stored = stored.decode() if isinstance(stored, bytes) else stored
    if not any(hmac.compare_digest(stored, h) for h in _sms_hashes(keys, user_id, code)):
        return False
    return bool(redis.delete(key))  # a second use of the same code finds nothing


def check(redis: Redis, keys: DataKeys, user: User, code: str) -> bool:
    """The code the person typed, against the factor they enrolled."""
    if user.second_factor == TOTP:
        return check_totp(redis, user.id, user.totp_secret or "", code)
    if user.second_factor == SMS:
        return check_sms_code(redis, keys, user.id, code)
    return False
