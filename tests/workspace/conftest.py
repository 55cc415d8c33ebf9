"""A network for the workspace tests: SBMI-BWI is offered a case (and holds a second whose
reporter's phone is not safe for SMS), SHELTER-HK one of its own; a caseworker in each."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from casebridge import refs
from tests.forwarding.cases import IN_HONG_KONG, file_case
from tests.workspace.signin import make_user, sign_in

UNSAFE_PHONE = "+6281234567892"


@dataclass
class Desk:
    cases: dict[str, list[str]]
    """References (NNNN-NNNN) by organisation code."""
    users: dict[str, int]
    """Account ids: "siti" (SBMI-BWI), "budi" (SBMI-BWI), "mei" (SHELTER-HK)."""


@pytest.fixture
def desk(services, jobs, orgs) -> Desk:
    cases = {
        "SBMI-BWI": [
            file_case(services, jobs),
            file_case(services, jobs, sms_safe=False, reporter_phone=UNSAFE_PHONE),
        ],
        "SHELTER-HK": [file_case(services, jobs, **IN_HONG_KONG)],
    }
    users = {
        "siti": make_user(services, "SBMI-BWI", "Siti Aminah", phone="+6281111111111"),
        "budi": make_user(services, "SBMI-BWI", "Budi Santoso"),
        "mei": make_user(services, "SHELTER-HK", "Mei Ling"),
    }
    return Desk({k: [refs.format_ref(r) for r in v] for k, v in cases.items()}, users)


@pytest.fixture
def siti(client, services, desk):
    """The test client signed in as Siti (SBMI-BWI)."""
    sign_in(client, services, desk.users["siti"])
    return client


def token(client, path: str) -> str:
    """The CSRF token of the forms on the page at `path`."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert found, "no form on the page"
    return found.group(1)


def post(client, ref: str, action: str, **fields):
    """Post a case's action form with this session's token."""
    fields.setdefault("csrf_token", token(client, f"/cases/{ref}"))
    return client.post(f"/cases/{ref}/{action}", data=fields)
