"""Fixtures for the USSD line: phones that dial the Flask app, on real Redis and database."""

from __future__ import annotations

import pytest

from .phone import CALLER, Phone


@pytest.fixture
def dial(client, orgs):
    """`dial(phone=…)` opens a new session (the first screen is in `.reply`)."""

    def open_session(phone: str = CALLER, **kwargs) -> Phone:
        session = Phone(client, phone, **kwargs)
        session.dial()
        return session

    return open_session
