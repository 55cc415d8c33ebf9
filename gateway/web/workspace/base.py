"""What the workspace's pages share: the blueprint, the page helpers, finding a case the
person may see, and committing a change before its messages and forwards are enqueued."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template

from casebridge import access, audit, phones, refs, taxonomy
from casebridge.forwarding.schedule import take_pending
from casebridge.models import Case
from casebridge.texts import status_word
from workers import queues

from .. import csrf
from ..i18n import current_language, translator, when

bp = Blueprint("workspace", __name__, template_folder="../templates")
VIA = "web"


@bp.context_processor
def _page_helpers() -> dict:
    lang = current_language()
    return {
        "lang": lang,
        "t": translator(lang),
        "csrf_token": csrf.token,
        "when": when,
        "format_ref": refs.format_ref,
        "mask": phones.mask,
        "status_word": lambda s: status_word(s, lang),
        "category_label": lambda c: taxonomy.category_label(c, lang),
        "relationship_label": lambda r: taxonomy.relationship_label(r, lang),
        "gender_label": lambda x: taxonomy.gender_label(x, lang),
        "country_name": lambda c: taxonomy.country_name(c, lang) if c else "-",
    }


def _error_page(exc):
    return render_template("workspace_error.html", code=exc.code), exc.code


for _code in (400, 403, 404, 405):
    bp.register_error_handler(_code, _error_page)


def me() -> str:
    """The actor of everything the signed-in person does here: `person:<id>`."""
    return audit.person(g.person)


def find_case(reference: str, lock: bool = False) -> Case:
    """The person's case, or the same 404 whether it does not exist or is not theirs."""
    found = access.get_case(g.session, g.org, reference, lock)
    if found is None:
        abort(404)
    return found


def commit_and_enqueue(message_ids: list[int]) -> None:
    """Persist the change, then hand its messages and forwards to the workers (should Redis be
    away, the sweeper sends them a few seconds later)."""
    g.session.flush()
    forward_ids = take_pending(g.session)
    g.session.commit()
    redis = current_app.extensions["services"].redis
    queues.enqueue_each(redis, queues.FORWARD_CASE, forward_ids)
    queues.enqueue_each(redis, queues.SEND_SMS, message_ids)
