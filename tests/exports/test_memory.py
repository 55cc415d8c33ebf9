"""A large export streams: 10,000 cases take no more memory than 1,000."""

from __future__ import annotations

import tracemalloc

import pytest

from casebridge import exports
from casebridge.access import Filters
from casebridge.exports import source
from tests.exports.seed import seed

LIMIT_BYTES = 16 * 1024 * 1024


def peak_while_exporting(services, fmt: str) -> tuple[int, int]:
    """(peak traced memory, bytes written) of exporting every case of SBMI-BWI."""
    request = source.Request(organisation="SBMI-BWI", filters=Filters())
    written = 0
    tracemalloc.start()
    try:
        for chunk in exports.stream(fmt, source.cases(services.db, request)):
            written += len(chunk)
        return tracemalloc.get_traced_memory()[1], written
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_ten_thousand_cases_export_in_small_constant_memory(services, orgs):
    seed(services, 1_000)
    small, small_bytes = peak_while_exporting(services, "csv")
    seed(services, 9_000)
    large, large_bytes = peak_while_exporting(services, "csv")
    assert large_bytes > 9 * small_bytes  # it really wrote ten times as much
    assert large < LIMIT_BYTES
    assert large < small * 1.25 + 512 * 1024, (small, large)
