"""The status machine: allowed moves happen and are on the timeline; refused ones change nothing."""

import pytest

from casebridge import status
from casebridge.models import Case
from casebridge.timeline import transition

ALLOWED = [(a, b) for a, targets in status.ALLOWED.items() for b in targets]
REFUSED = [(a, b) for a in status.STATUSES for b in status.STATUSES if b not in status.ALLOWED[a]]


def test_the_documented_path_is_allowed():
    path = ["new", "assigned", "accepted", "in_progress", "resolved", "closed"]
    for a, b in zip(path, path[1:], strict=False):
        assert status.can_move(a, b)
    for origin in ("accepted", "in_progress"):
        assert status.can_move(origin, "needs_info")
    assert status.can_move("assigned", "declined") and status.can_move("declined", "assigned")


@pytest.mark.parametrize("current, wanted", REFUSED)
def test_refused_transitions_raise_and_change_nothing(current, wanted):
    case = Case(status=current)
    with pytest.raises(status.TransitionError) as err:
        transition(None, case, wanted, "test")
    assert case.status == current
    assert current in str(err.value) and wanted in str(err.value)


def test_unknown_status_is_refused():
    with pytest.raises(status.TransitionError):
        status.check_move("new", "lost")


@pytest.mark.parametrize(
    "current, wanted", [("new", "accepted"), ("closed", "new"), ("resolved", "new")]
)
def test_examples_of_refusals(current, wanted):
    assert not status.can_move(current, wanted)
