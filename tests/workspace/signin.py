"""Signing a person in for the workspace tests, until the accounts part's `/login` exists: an
account made directly and a real server-side session (`gateway.web.websessions`)."""

from __future__ import annotations

from sqlalchemy import select

from casebridge.models import Organisation, Role, User
from gateway.web import websessions

PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
"""Any argon2 string: these tests never check a password."""


def make_user(
    services,
    org_code: str,
    name: str = "Siti Aminah",
    role: str = Role.CASEWORKER,
    phone: str | None = None,
    email: str | None = None,
) -> int:
    """An account ready to sign in (password and second factor set); returns its id."""
    with services.db.session() as s:
        org = s.scalars(select(Organisation).where(Organisation.code == org_code)).one()
        user = User(
            email=email or f"{name.split()[0].lower()}.{org_code.lower()}@example.org",
            name=name,
            phone=phone,
            organisation_id=org.id,
            role=str(role),
            password_hash=PASSWORD_HASH,
            second_factor="totp",
        )
        s.add(user)
        s.flush()
        return user.id


def sign_in(client, services, user_id: int) -> str:
    """Sign the Flask test client in as the person; returns the session id."""
    sid = websessions.start(services.redis, user_id)
    with client.session_transaction() as session:
        session["sid"] = sid
    return sid


def session_cookie(app, sid: str) -> str:
    """The signed Flask session cookie value carrying `sid` (for a browser context)."""
    return app.session_interface.get_signing_serializer(app).dumps({"sid": sid})
