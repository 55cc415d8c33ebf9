"""The backoff of durable attempts: each try waits its delay, and there is a last one."""

from datetime import timedelta

import pytest

from casebridge.attempts import Backoff


def test_each_try_waits_its_delay_and_the_last_one_gives_up():
    backoff = Backoff((30, 120, 600))
    assert [backoff.after(n) for n in (1, 2, 3)] == [
        timedelta(seconds=30),
        timedelta(seconds=120),
        timedelta(seconds=600),
    ]
    assert backoff.after(4) is None


@pytest.mark.parametrize("attempts", [0, -1])
def test_no_wait_before_any_try(attempts):
    assert Backoff((30,)).after(attempts) is None
