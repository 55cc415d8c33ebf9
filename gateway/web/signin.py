"""Who is signed in: the person behind this browser's session, and the guard every workspace
page (and the dashboard) runs behind."""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps
from urllib.parse import urlencode

from flask import abort, current_app, g, redirect, request, session

from casebridge.models import Role, User

from . import websessions

SID = "sid"
"""The cookie session field holding the server-side session id."""


def _services():
    return current_app.extensions["services"]


def person(db_session) -> User | None:
    """The person signed in on this browser, if their session, account and organisation are
    all still valid; otherwise None, and the browser's sign-in is forgotten."""
    sid = session.get(SID)
    if not sid:
        return None
    user_id = websessions.user_of(_services().redis, sid)
    user = db_session.get(User, user_id) if user_id is not None else None
    if user is None or not user.ready or not user.organisation.active:
        session.pop(SID, None)
        return None
    return user


def sign_in(user: User) -> None:
    """Start a server-side session for the person on this browser (a new cookie session, so an
    id planted before sign-in is never reused)."""
    lang = session.get("lang")
    session.clear()
    session[SID] = websessions.start(_services().redis, user.id)
    if lang:
        session["lang"] = lang


def sign_out() -> None:
    websessions.end(_services().redis, session.get(SID))
    session.clear()


def required(roles: Iterable[str] = tuple(Role)):
    """Decorator: the view runs with `g.person`, `g.org` (the person's organisation) and
    `g.session` (a database session); a browser not signed in goes to `/login`, and a person
    whose role is not in `roles` gets 403."""
    allowed = frozenset(str(r) for r in roles)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            with _services().db.session() as db_session:
                user = person(db_session)
                if user is None:
                    return redirect("/login?" + urlencode({"next": request.full_path.rstrip("?")}))
                if user.role not in allowed:
                    abort(403)
                g.person, g.org, g.session = user, user.organisation, db_session
                return view(*args, **kwargs)

        return wrapper

    return decorate
