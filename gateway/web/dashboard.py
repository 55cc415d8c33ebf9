"""`/dashboard`: coordinators look at the network's cases (signed in with a coordinator account)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, g, redirect, render_template, request
from sqlalchemy import func, select

from casebridge import access, audit, phones, places, refs, taxonomy
from casebridge import stats as case_stats
from casebridge.models import Case, Organisation, Role, Worker
from casebridge.status import OPEN_STATUSES, STATUSES
from casebridge.texts import status_word
from casebridge.timeline import record

from . import csrf, signin
from .account import safe_next
from .charts import bar_chart
from .i18n import current_language, translator, when
from .phones_panel import phones_panel

blueprint = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/dashboard",
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
PAGE_SIZE = 50
PAGE_BLUEPRINTS = ("dashboard", "simulator", "home", "account", "admin")
"""Blueprints whose templates get `lang`, `t`, `csrf_token` and `when`."""


@blueprint.app_context_processor
def _page_helpers() -> dict:
    if not request.blueprint or request.blueprint not in PAGE_BLUEPRINTS:
        return {}
    lang = current_language()
    return {"lang": lang, "t": translator(lang), "csrf_token": csrf.token, "when": when}


_signed_in = signin.required((Role.COORDINATOR,))
"""The view runs with `g.person` (a coordinator), `g.org` (their coordinator organisation)
and `g.session`; a browser not signed in goes to `/login`, anyone else gets 403."""


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """People sign in at `/login`; this address only leads there."""
    target = request.args.get("next", "")
    target = target if target.startswith(("/dashboard", "/simulator")) else "/dashboard/"
    return redirect("/login?" + urlencode({"next": safe_next(target)}))


def _labels(dimension: str, lang: str) -> dict[str, str]:
    if dimension == "status":
        return {s: status_word(s, lang) for s in STATUSES}
    if dimension == "category":
        return {c: taxonomy.category_label(c, lang) for c in taxonomy.CATEGORIES}
    if dimension == "gender":
        return {x: taxonomy.gender_label(x, lang) for x in taxonomy.GENDERS}
    if dimension == "country":
        return {c: taxonomy.country_name(c, lang) for c in taxonomy.DESTINATIONS}
    if dimension == "province":
        return {p.code: p.name for p in places.provinces()}
    return {}


@blueprint.get("/")
@_signed_in
def home():
    lang = current_language()
    t = translator(lang)
    visible = access.visible_cases(g.org)
    figures = case_stats.compute(g.session, visible)
    open_figures = case_stats.compute(g.session, visible.where(Case.status.in_(OPEN_STATUSES)))
    charts = [
        bar_chart(t(f"by_{dim}"), open_figures[f"by_{dim}"], _labels(dim, lang))
        for dim in ("status", "category", "country", "province", "gender", "channel")
    ]
    overdue = g.session.scalars(
        visible.where(
            Case.overdue.is_(True), Case.status.in_(OPEN_STATUSES), Case.training.is_(False)
        )
        .order_by(Case.created_at)
        .limit(20)
    ).all()
    return render_template(
        "dashboard.html",
        figures=figures,
        open_total=open_figures["total"],
        charts=charts,
        overdue=overdue,
        orgs=_org_load(),
        phones=phones_panel(g.org),
        format_ref=refs.format_ref,
        status_word=lambda s: status_word(s, lang),
    )


def _org_load() -> list[dict]:
    rows = g.session.execute(
        select(Organisation.code, Organisation.name, func.count(Case.id))
        .outerjoin(
            Case,
            (Case.organisation_id == Organisation.id)
            & Case.status.in_(OPEN_STATUSES)
            & Case.training.is_(False),
        )
        .where(Organisation.active.is_(True))
        .group_by(Organisation.id, Organisation.code, Organisation.name)
        .order_by(func.count(Case.id).desc(), Organisation.code)
    ).all()
    accepted = g.session.execute(
        select(Organisation.code, Case.assigned_at, Case.accepted_at)
        .join(Case, Case.organisation_id == Organisation.id)
        .where(
            Case.accepted_at.is_not(None),
            Case.assigned_at.is_not(None),
            Case.training.is_(False),
        )
    ).all()
    hours: dict[str, list[float]] = {}
    for code, assigned, accepted_at in accepted:
        hours.setdefault(code, []).append((accepted_at - assigned).total_seconds() / 3600)
    return [
        {
            "code": code,
            "name": name,
            "open": count,
            "mean_accept": round(sum(hours[code]) / len(hours[code]), 1) if code in hours else None,
        }
        for code, name, count in rows
    ]


FILTERS = ("status", "category", "country", "province", "organisation")


@blueprint.get("/cases")
@_signed_in
def cases():
    lang = current_language()
    query = access.visible_cases(g.org).join(Worker, Worker.id == Case.worker_id)
    chosen = {k: request.args.get(k, "").strip() for k in FILTERS}
    if chosen["status"] in STATUSES:
        query = query.where(Case.status == chosen["status"])
    if chosen["category"] in taxonomy.CATEGORIES:
        query = query.where(Case.category == chosen["category"])
    if chosen["country"]:
        query = query.where(Worker.country == chosen["country"].upper()[:2])
    if chosen["province"]:
        query = query.where(Worker.province == chosen["province"].upper()[:6])
    if chosen["organisation"]:
        query = query.join(Organisation, Organisation.id == Case.organisation_id).where(
            Organisation.code == chosen["organisation"][:40]
        )
    raw = request.args.get("page", "1")  # a page past 999,999 (or not a number) reads as 1
    page = max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 1
    rows = g.session.scalars(
        query.order_by(Case.created_at.desc(), Case.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    orgs = g.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return render_template(
        "cases.html",
        cases=rows[:PAGE_SIZE],
        more=len(rows) > PAGE_SIZE,
        page=page,
        chosen=chosen,
        statuses=STATUSES,
        categories=taxonomy.CATEGORIES,
        orgs=orgs,
        format_ref=refs.format_ref,
        status_word=lambda s: status_word(s, lang),
        category_label=lambda c: taxonomy.category_label(c, lang),
        args={k: v for k, v in chosen.items() if v},
    )


@blueprint.get("/cases/<reference>")
@_signed_in
def case(reference: str):
    lang = current_language()
    found = access.get_case(g.session, g.org, reference)
    if found is None:
        return render_template("not_found.html"), 404
    record(
        g.session,
        found,
        "read",
        audit.person(g.person),
        "viewed on the dashboard",
        organisation_id=g.org.id,
    )
    return render_template(
        "case.html",
        case=found,
        format_ref=refs.format_ref,
        mask=phones.mask,
        status_word=lambda s: status_word(s, lang),
        category_label=lambda c: taxonomy.category_label(c, lang),
        now=datetime.now,
    )
