"""People with accounts, for tests: a ready person with a known password and TOTP secret,
the current code of their authenticator app, and a browser signed in as them."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from casebridge import accounts, second_factor
from casebridge.models import Organisation, Role, User

PASSWORD = "a long enough passphrase"


def make_person(
    services,
    code: str,
    role: str = Role.CASEWORKER,
    email: str | None = None,
    name: str | None = None,
    phone: str | None = None,
    factor: str = second_factor.TOTP,
) -> User:
    """A person of organisation `code` who can sign in now with `PASSWORD` and (for TOTP)
    the code `totp_code(user)`. The returned object is detached; its ids and fields read."""
    with services.db.session() as session:
        org = session.scalars(select(Organisation).where(Organisation.code == code)).one()
        user = User(
            email=(email or f"{role}.{code}@example.org").lower(),
            name=name or f"{role.title()} {code}",
            phone=phone,
            organisation_id=org.id,
            role=str(role),
            password_hash=accounts.hash_password(PASSWORD),
            second_factor=factor,
            totp_secret=second_factor.new_totp_secret() if factor == second_factor.TOTP else None,
        )
        session.add(user)
        session.flush()
        session.refresh(user)
        session.expunge(user)
    return user


def totp_code(secret_or_user, at=None) -> str:
    """The code the person's authenticator app shows now (or at `at`, a datetime)."""
    secret = getattr(secret_or_user, "totp_secret", secret_or_user)
    secret = secret.replace(" ", "")
    totp = pyotp.TOTP(secret)
    return totp.at(at) if at is not None else totp.now()


def sign_in_as(client, services, user) -> str:
    """A Flask test client signed in as `user` through a real server-side session."""
    from gateway.web import websessions
    from gateway.web.signin import SID

    sid = websessions.start(services.redis, user.id)
    with client.session_transaction() as cookie:
        cookie[SID] = sid
    return sid


def csrf_from(client, path: str = "/login") -> str:
    """The CSRF token of the form on `path`, as the browser would post it."""
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, user, next_: str = "/cases", password: str = PASSWORD, code: str | None = None):
    """Sign in through the real `/login` form (password, then the TOTP code); returns the
    last response (a 302 to `next_` when it worked)."""
    token = csrf_from(client, "/login")
    first = client.post(
        "/login",
        data={"step": "password", "email": user.email, "password": password, "csrf_token": token},
    )
    if first.status_code != 200:
        return first
    return client.post(
        "/login",
        data={
            "step": "code",
            "code": code or totp_code(user),
            "next": next_,
            "csrf_token": token,
        },
    )
