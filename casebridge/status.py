"""The case status machine: which transitions are allowed."""

from __future__ import annotations

STATUSES = (
    "new",
    "assigned",
    "accepted",
    "in_progress",
    "needs_info",
    "resolved",
    "closed",
    "declined",
)
OPEN_STATUSES = ("new", "assigned", "accepted", "in_progress", "needs_info", "declined")

ALLOWED: dict[str, frozenset[str]] = {
    "new": frozenset({"assigned"}),
    "assigned": frozenset({"accepted", "declined", "assigned"}),
    "accepted": frozenset({"in_progress", "needs_info", "resolved", "declined", "assigned"}),
    "in_progress": frozenset({"needs_info", "resolved", "assigned"}),
    "needs_info": frozenset({"in_progress", "resolved", "assigned"}),
    "resolved": frozenset({"closed", "in_progress"}),
    "closed": frozenset(),
    "declined": frozenset({"assigned"}),
}
"""`assigned` → `assigned` is a re-route or an accepted referral; `accepted`/`in_progress` →
`assigned` moves a case to another organisation after a referral is accepted."""


class TransitionError(ValueError):
    """A status change the machine does not allow; nothing was changed."""

    def __init__(self, current: str, wanted: str):
        allowed = ", ".join(sorted(ALLOWED.get(current, ()))) or "none"
        super().__init__(
            f"cannot move a case from {current!r} to {wanted!r}"
            f" (allowed from {current!r}: {allowed})"
        )
        self.current = current
        self.wanted = wanted


def can_move(current: str, wanted: str) -> bool:
    return wanted in ALLOWED.get(current, frozenset())


def check_move(current: str, wanted: str) -> None:
    if wanted not in STATUSES or not can_move(current, wanted):
        raise TransitionError(current, wanted)


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
