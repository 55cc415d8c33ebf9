"""Fixtures for voice tests: both providers' voice APIs faked locally, Twilio signatures and the
AT token switched on, calls placed through the app, and cases to call about. Import them into a
conftest with `from fakes.voice_plugin import *`, and use `voice_settings` as the
`settings_overrides` of the tests that place calls."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebridge import timeline
from casebridge.models import Case, ChannelSession, Intake
from casebridge.reports import Report
from gateway.submit import submit_report

from .voice_phone import OUR_NUMBER, make_call
from .voice_servers import fake_at_voice, fake_twilio

TWILIO_TOKEN = "twilio-test-auth-token"
AT_TOKEN = "at-test-webhook-token"
CALLER = "+6281234567890"  # an Indonesian mobile
AT_NUMBER = "+254711000111"

__all__ = ["at_api", "dial", "extra_settings", "make_case", "twilio_api", "voice_settings"]


@pytest.fixture
def twilio_api():
    server = fake_twilio().start()
    yield server
    server.stop()


@pytest.fixture
def at_api():
    server = fake_at_voice().start()
    yield server
    server.stop()


@pytest.fixture
def extra_settings() -> dict:
    """Override in a module (or parametrize) to change settings further."""
    return {}


@pytest.fixture
def voice_settings(twilio_api, at_api, extra_settings) -> dict:
    return {
        "twilio_account_sid": "AC" + "1" * 32,
        "twilio_auth_token": TWILIO_TOKEN,
        "twilio_from": OUR_NUMBER,
        "twilio_api_url": twilio_api.url,
        "at_username": "pengaduan",
        "at_api_key": "at-api-key",
        "at_voice_number": AT_NUMBER,
        "at_voice_url": at_api.url,
        "at_webhook_token": AT_TOKEN,
        **extra_settings,
    }


@pytest.fixture
def dial(client, services):
    """`dial("twilio", phone)`: a new call, signed / with the token as configured."""

    def start(provider: str, phone: str = CALLER, **kw):
        settings = services.settings
        if provider == "twilio":
            kw.setdefault("auth_token", settings.twilio_auth_token)
        else:
            kw.setdefault("token", settings.at_webhook_token)
        return make_call(provider, client, phone, **kw)

    return start


@pytest.fixture
def make_case(services, jobs, orgs):
    """`make_case(phone, status)`: a routed case reported from `phone`, moved on to `status`;
    returns (reference, pin)."""

    def make(phone: str = CALLER, status: str = "assigned", category: str = "unpaid_wages"):
        report = Report(reporter_phone=phone, category=category, channel="sms", country="MY")
        receipt = submit_report(services, f"test:{phone}:{category}:{status}", report)
        jobs.run()
        with services.db.session() as session:
            case = session.scalar(select(Case).where(Case.reference == receipt.reference))
            for step in {"accepted": ["accepted"], "in_progress": ["accepted", "in_progress"]}.get(
                status, []
            ):
                timeline.transition(session, case, step, "test")
        return receipt.reference, receipt.pin

    return make


def reference_of_call(services, provider: str, call_id: str) -> str | None:
    """The reference of the report left in a call (its intake), once it was stored."""
    with services.db.session() as session:
        return session.scalar(
            select(Intake.reference).where(Intake.idempotency_key == f"voice:{provider}:{call_id}")
        )


def case_of_call(services, provider: str, call_id: str) -> Case | None:
    with services.db.session() as session:
        intake = session.scalar(
            select(Intake).where(Intake.idempotency_key == f"voice:{provider}:{call_id}")
        )
        if intake is None:
            return None
        case = session.scalar(select(Case).where(Case.intake_id == intake.id))
        if case is not None:
            _ = case.organisation, case.reporter, case.worker
        return case


def session_of_call(services, provider: str, call_id: str) -> ChannelSession | None:
    with services.db.session() as session:
        return session.scalar(
            select(ChannelSession).where(
                ChannelSession.provider == provider, ChannelSession.session_id == call_id
            )
        )
