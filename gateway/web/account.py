"""Sign-in for people: `/login` (password, then the second factor), `POST /logout`, and
`/invite/<token>` (set a password and enrol a second factor from a one-time link).

A wrong email, password or code all answer with the same words; failures are throttled per
account and per address (`throttle`). Every form carries the CSRF token."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, current_app, redirect, render_template, request, session

from casebridge import accounts, phones, second_factor
from casebridge.models import User, utcnow
from workers import queues

from . import csrf, signin, throttle, websessions

blueprint = Blueprint("account", __name__, template_folder="templates")
NEXT_PREFIXES = ("/cases", "/dashboard", "/admin", "/simulator")
"""Where a sign-in may lead on to (`next=`); anything else goes to `/cases`."""
LANDING = "/cases"
PENDING = "signin_pending"
"""The cookie session field of a sign-in whose password was right, waiting for its code."""
PENDING_SECONDS = 300


def _services():
    return current_app.extensions["services"]


def safe_next(target: str | None) -> str:
    """`target` when it is a local path into the pages people sign in for, else `/cases`."""
    if not target or not isinstance(target, str) or len(target) > 500:
        return LANDING
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return LANDING
    if target.startswith("//"):
        return LANDING
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(NEXT_PREFIXES):
        return LANDING
    return target


def _mark(user: User) -> str:
    """Which password the first step checked (a short digest of its hash)."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _address() -> str:
    return request.remote_addr or "-"


def _enqueue(message_id: int | None) -> None:
    if message_id is not None:
        queues.enqueue(_services().redis, queues.SEND_SMS, message_id)


def _login_page(step: str = "password", error: str | None = None, status: int = 200, **extra):
    return render_template(
        "account_login.html",
        step=step,
        error=error,
        next=safe_next(request.values.get("next")),
        **extra,
    ), status


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        session.pop(PENDING, None)
        return _login_page()
    csrf.check()
    if request.form.get("step") == "code":
        return _code_step()
    return _password_step()


def _password_step():
    services = _services()
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")
    if not throttle.take(services.redis, email, _address()):
        return _login_page(error="account_throttled", status=429, email=email)
    with services.db.session() as db_session:
        user = accounts.verify_password(db_session, email, password)
        if user is None:
            return _login_page(error="account_wrong", status=401, email=email)
        throttle.give_back(services.redis, email, _address())
        message_id = None
        if user.second_factor == second_factor.SMS:
            message_id = second_factor.send_sms_code(
                db_session, services.redis, user, services.settings.sms_provider
            )
        session[PENDING] = {"user": user.id, "at": int(time.time()), "pw": _mark(user)}
        factor, phone = user.second_factor, user.phone
    _enqueue(message_id)
    return _login_page("code", factor=factor, masked=phones.mask(phone) if phone else "")


def _code_step():
    services = _services()
    pending = session.get(PENDING)
    if (
        not isinstance(pending, dict)
        or not isinstance(pending.get("user"), int)
        or not isinstance(pending.get("at"), int)
        or time.time() - pending["at"] > PENDING_SECONDS
    ):
        session.pop(PENDING, None)
        return _login_page(error="account_step_expired", status=401)
    with services.db.session() as db_session:
        user = db_session.get(User, pending["user"])
        if (
            user is None
            or not user.ready
            or not user.organisation.active
            or pending.get("pw") != _mark(user)  # a reset or a new password came between
        ):
            session.pop(PENDING, None)
            return _login_page(error="account_wrong", status=401)
        if not throttle.take(services.redis, user.email, _address()):
            session.pop(PENDING, None)
            return _login_page(error="account_throttled", status=429)
        if not second_factor.check(
            services.redis, services.settings.data_keys, user, request.form.get("code", "")
        ):
            return _login_page(
                "code",
                error="account_wrong",
                status=401,
                factor=user.second_factor,
                masked=phones.mask(user.phone) if user.phone else "",
            )
        throttle.give_back(services.redis, user.email, _address())
        user.signed_in_at = utcnow()
        signin.sign_in(user)
    return redirect(safe_next(request.values.get("next")))


@blueprint.post("/logout")
def logout():
    csrf.check()
    signin.sign_out()
    return redirect("/login")


# --- the invitation --------------------------------------------------------------------------


def _invite_page(invite, step: str, error: str | None = None, status: int = 200, **extra):
    return render_template(
        "account_invite.html",
        invite=invite,
        user=invite.user,
        step=step,
        error=error,
        masked=phones.mask(invite.user.phone) if invite.user.phone else "",
        **extra,
    ), status


def _qr(user: User, secret: str) -> str:
    return segno.make(second_factor.totp_uri(user, secret), error="m").svg_data_uri(scale=4)


def _totp_extra(user: User, secret: str | None) -> dict:
    if not secret:
        return {}
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"secret": grouped, "qr": _qr(user, secret)}


@blueprint.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    services = _services()
    with services.db.session() as db_session:
        found = accounts.open_invite(db_session, token)
        if found is None:
            return render_template("account_invite_gone.html"), 404
        if request.method == "GET":
            return _invite_page(found, "password")
        csrf.check()
        if request.form.get("step") == "code":
            return _confirm(db_session, found)
        try:
            enrolment = accounts.begin_enrolment(
                services.redis,
                found,
                request.form.get("password", ""),
                request.form.get("password_again", ""),
                request.form.get("factor", ""),
            )
        except accounts.AccountError as exc:
            return _invite_page(found, "password", error=exc.key, status=400)
        message_id = None
        if enrolment.factor == second_factor.SMS:
            message_id = second_factor.send_sms_code(
                db_session, services.redis, found.user, services.settings.sms_provider
            )
        page = _invite_page(
            found, "code", factor=enrolment.factor, **_totp_extra(found.user, enrolment.totp_secret)
        )
    _enqueue(message_id)
    return page


def _confirm(db_session, found):
    services = _services()
    user = found.user
    pending = accounts.pending_enrolment(services.redis, found)
    if pending is None:
        return _invite_page(found, "password", error="account_step_expired", status=400)
    if not throttle.take(services.redis, user.email, _address()):
        return _invite_page(found, "password", error="account_throttled", status=429)
    done = accounts.finish_enrolment(
        db_session,
        services.redis,
        found,
        request.form.get("code", ""),
        lambda uid: websessions.end_all(services.redis, uid),
    )
    if done is None:
        return _invite_page(
            found,
            "code",
            error="account_wrong_code",
            status=400,
            factor=pending.factor,
            **_totp_extra(user, pending.totp_secret),
        )
    throttle.give_back(services.redis, user.email, _address())
    done.signed_in_at = utcnow()
    db_session.commit()
    signin.sign_in(done)
    return redirect(LANDING)
