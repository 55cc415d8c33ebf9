"""Keep secrets out of logs: webhook tokens in logged URLs become `token=***`."""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(r"(?i)\b(token|key|password|pin|signature)=([^&\s\"']+)")


def redact(text: str) -> str:
    return _SECRETS.sub(lambda m: f"{m.group(1)}=***", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (after formatting its arguments) with `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Attach the filter to every handler there is: the root logger's (werkzeug's access log
    included) and those of named loggers with their own (gunicorn's error and access logs).
    `create_app` calls it, so every process that serves requests has it."""
    named = logging.Logger.manager.loggerDict.values()
    loggers = [logging.getLogger(), *(x for x in named if isinstance(x, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
