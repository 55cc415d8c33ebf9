"""Two organisations with cases of their own, and a key for each and for the coordinator."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from casebridge import refs
from tests.forwarding.cases import IN_HONG_KONG, file_case, load_case

UNSAFE_PHONE = "+6281234567892"


@dataclass
class Network:
    keys: dict[str, str]
    cases: dict[str, list[str]]
    """References (NNNN-NNNN) by organisation code."""

    def headers(self, code: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[code]}"}


@pytest.fixture
def network(services, jobs, api_key) -> Network:
    """SBMI-BWI holds two cases (a woman, a man whose reporter's phone is not safe for SMS,
    both in Malaysia); SHELTER-HK two (women in Hong Kong, one of them sensitive)."""
    cases = {
        "SBMI-BWI": [
            file_case(services, jobs),
            file_case(
                services,
                jobs,
                worker_gender="male",
                category="repatriation",
                sms_safe=False,
                reporter_phone=UNSAFE_PHONE,
            ),
        ],
        "SHELTER-HK": [
            file_case(services, jobs, **IN_HONG_KONG),
            file_case(services, jobs, category="violence", **IN_HONG_KONG),
        ],
    }
    with services.db.session() as s:
        for code, references in cases.items():
            assert {load_case(s, r).organisation.code for r in references} == {code}
    keys = {code: api_key(code) for code in ("SBMI-BWI", "SHELTER-HK", "KOORD", "LBH-TPPO")}
    return Network(keys, {k: [refs.format_ref(r) for r in v] for k, v in cases.items()})


def api(client, method: str, path: str, key: str | None = None, **kwargs):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
