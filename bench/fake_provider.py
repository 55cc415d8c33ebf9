"""Africa's Talking's SMS API faked for outbound benchmarks, served by gunicorn.

The fake of the test suite (tests/fakes/africastalking.py), failing every `FAIL_EVERY`-th
request of each worker with a 500 (0: never), and appending every message it accepts to
`ACCEPTED_LOG` (one line per message: recipient, then text), so that a benchmark can check
that no message was sent twice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Response

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fakes.africastalking import FakeAfricasTalking  # noqa: E402

USERNAME, API_KEY = "bench", "bench-at-key"


def at_app():
    """The WSGI app (gunicorn spec `fake_provider:at_app()`)."""
    fake = FakeAfricasTalking(USERNAME, API_KEY)
    fail_every = int(os.environ.get("FAIL_EVERY", "0"))
    log_path = os.environ.get("ACCEPTED_LOG")
    seen = {"requests": 0}

    @fake.app.before_request
    def _maybe_fail():
        seen["requests"] += 1
        if fail_every and seen["requests"] % fail_every == 0:
            return Response("Internal Server Error", status=500, mimetype="text/plain")
        return None

    @fake.app.after_request
    def _log(response):
        if log_path and fake.sent:
            with open(log_path, "a", encoding="utf-8") as log:
                for message in fake.sent:
                    log.write(f"{message['to']}\t{message['message']}\n")
            fake.sent.clear()
        return response

    return fake.app
