"""Bearer keys: every /api/v1 route (but the spec and the schema) needs an organisation's key.

After the view's transaction is committed, the jobs it made work for (forwards, outbound
messages) are enqueued; should Redis be away, the sweeper sends them a few seconds later."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, jsonify, request

from casebridge import apikeys
from casebridge.forwarding.schedule import take_pending
from workers import queues

log = logging.getLogger(__name__)


def bearer_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "bearer" and key.strip() else None


def queue_message(message) -> None:
    """Send this outbox row once the view's transaction is committed (None: nothing queued)."""
    if message is not None:
        g.setdefault("message_ids", []).append(message.id)


def _enqueue(services, forward_ids: list[int], message_ids: list[int]) -> None:
    queues.enqueue_each(services.redis, queues.FORWARD_CASE, forward_ids)
    queues.enqueue_each(services.redis, queues.SEND_SMS, message_ids)


def require_org(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate the caller; the view runs with `g.org` (the key's organisation) and
    `g.session` (a database session committed after the view, rolled back if it raises)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        services = current_app.extensions["services"]
        with services.db.session() as session:
            org = apikeys.authenticate(session, bearer_key())
            if org is None:
                response = jsonify(
                    error="unauthorized", message="a valid Bearer API key is required"
                )
                response.headers["WWW-Authenticate"] = 'Bearer realm="pengaduan"'
                return response, 401
            g.org, g.session = org, session
            response = view(*args, **kwargs)
            session.flush()
            forward_ids = take_pending(session)
        _enqueue(services, forward_ids, g.pop("message_ids", []))
        return response

    return wrapper
