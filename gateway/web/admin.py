"""`/admin`: an organisation's people (invite, disable, reset) and its API keys (create, see
last use, revoke), for its admins and for coordinators (who may pick any organisation with
`org=CODE`). A one-time link or a new key is shown once, on the page that made it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select

from casebridge import accounts, apikeys, clean
from casebridge.models import ApiKey, Organisation, Role, User

from . import csrf, signin, websessions

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
ADMINS = (Role.ORG_ADMIN, Role.COORDINATOR)


def _services():
    return current_app.extensions["services"]


def _end_sessions(user_id: int) -> int:
    return websessions.end_all(_services().redis, user_id)


def _org() -> Organisation:
    """The organisation the page is about: the person's own, or for a coordinator the one
    chosen with `org=CODE` (an unknown code: 404)."""
    code = clean.text(request.values.get("org", "")).strip()[:40]
    if not code or g.person.role != Role.COORDINATOR or code == g.org.code:
        return g.org
    found = g.session.scalar(select(Organisation).where(Organisation.code == code))
    if found is None:
        abort(404)
    return found


def _all_orgs() -> list[Organisation]:
    if g.person.role != Role.COORDINATOR:
        return []
    return list(g.session.scalars(select(Organisation).order_by(Organisation.code)))


def _person(org: Organisation, user_id: int) -> User:
    """A person of `org` the caller may manage; anyone else answers like a missing one."""
    user = g.session.get(User, user_id)
    if user is None or user.organisation_id != org.id or not accounts.may_manage(g.person, user):
        abort(404)
    return user


@blueprint.get("/")
@signin.required(ADMINS)
def home():
    return redirect(url_for("admin.people"))


def _people_page(org: Organisation, status: int = 200, **extra):
    return render_template(
        "admin_people.html",
        org=org,
        orgs=_all_orgs(),
        people=accounts.people(g.session, org),
        roles=[r for r in Role if accounts.may_invite(g.person, org, r)],
        state=accounts.state,
        may_manage=lambda u: accounts.may_manage(g.person, u) and u.id != g.person.id,
        **extra,
    ), status


@blueprint.get("/people")
@signin.required(ADMINS)
def people():
    return _people_page(_org())


@blueprint.post("/people/invite")
@signin.required(ADMINS)
def invite():
    csrf.check()
    org = _org()
    form = {k: request.form.get(k, "").strip() for k in ("email", "name", "phone", "role")}
    try:
        link = accounts.invite(
            g.session,
            email=form["email"],
            org=org,
            role=form["role"],
            base_url=_services().settings.public_base_url,
            by=g.person,
            name=form["name"] or None,
            phone=form["phone"] or None,
        )
    except accounts.AccountError as exc:
        g.session.rollback()
        return _people_page(org, 400, error=exc.key, form=form)
    return _people_page(org, link=link.url, link_for=link.user.email)


@blueprint.post("/people/<int:user_id>/disable")
@signin.required(ADMINS)
def disable(user_id: int):
    csrf.check()
    org = _org()
    user = _person(org, user_id)
    if user.id == g.person.id:
        abort(404)
    accounts.disable(g.session, user, _end_sessions, by=g.person)
    return redirect(url_for("admin.people", org=org.code))


@blueprint.post("/people/<int:user_id>/reset")
@signin.required(ADMINS)
def reset(user_id: int):
    csrf.check()
    org = _org()
    user = _person(org, user_id)
    if user.id == g.person.id:
        abort(404)
    link = accounts.reset(
        g.session, user, _services().settings.public_base_url, _end_sessions, by=g.person
    )
    return _people_page(org, link=link.url, link_for=user.email)


def _keys_page(org: Organisation, status: int = 200, **extra):
    keys = g.session.scalars(
        select(ApiKey).where(ApiKey.organisation_id == org.id).order_by(ApiKey.created_at.desc())
    ).all()
    return render_template("admin_keys.html", org=org, orgs=_all_orgs(), keys=keys, **extra), status


@blueprint.get("/keys")
@signin.required(ADMINS)
def keys():
    return _keys_page(_org())


@blueprint.post("/keys/create")
@signin.required(ADMINS)
def create_key():
    csrf.check()
    org = _org()
    name = " ".join(clean.text(request.form.get("name", "")).split())[:100]
    if not name:
        return _keys_page(org, 400, error="admin_key_name_needed")
    new_key = apikeys.issue(g.session, org, name=name, created_by=g.person)
    return _keys_page(org, new_key=new_key)


@blueprint.post("/keys/<int:key_id>/revoke")
@signin.required(ADMINS)
def revoke_key(key_id: int):
    csrf.check()
    org = _org()
    key = g.session.get(ApiKey, key_id)
    if key is None or key.organisation_id != org.id:
        abort(404)
    apikeys.revoke(g.session, key)
    return redirect(url_for("admin.keys", org=org.code))
