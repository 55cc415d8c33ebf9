"""Secrets in logged URLs are redacted (webhook tokens travel in query strings)."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gateway.redact import RedactingFilter, redact
from tests.conftest import TEST_DATA_KEY


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


@pytest.mark.slow
def test_gunicorn_logs_no_token(database_url, redis_url, tmp_path):
    """Production runs `gunicorn 'gateway.app:create_app()'` (the Procfile): its access log
    masks the AT token of a webhook URL as well."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "gunicorn-test-key",
        "DATA_KEY": TEST_DATA_KEY,
        "AT_WEBHOOK_TOKEN": "s3cr3t-at-token",
        "INSTANCE_PATH": str(tmp_path),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "gateway.app:create_app()",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                url = f"http://127.0.0.1:{port}/sms/africastalking?token=s3cr3t-at-token"
                urllib.request.urlopen(url, b"from=x", timeout=1)
            except urllib.error.HTTPError:
                break  # answered (400: the form is not an SMS)
            except OSError:
                time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "/sms/africastalking?token=***" in out, out
    assert "s3cr3t-at-token" not in out
