"""Secrets in logged URLs are redacted (webhook tokens travel in query strings)."""

import logging

from gateway.redact import RedactingFilter, redact


def test_redact_query_secrets():
    line = '"POST /ussd/africastalking?token=s3cr3t&x=1 HTTP/1.1" 200 -'
    assert redact(line) == '"POST /ussd/africastalking?token=***&x=1 HTTP/1.1" 200 -'
    assert "s3cr3t" not in redact("key=s3cr3t password=s3cr3t PIN=1234")


def test_filter_rewrites_formatted_records():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, "%s", ("GET /?token=abc",), None
    )
    RedactingFilter().filter(record)
    assert record.getMessage() == "GET /?token=***"
