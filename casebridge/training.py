"""Training: the reserved phone range the simulator may act as, whose reports are training cases
(out of statistics, exports and forwarding to organisations' own systems)."""

from __future__ import annotations


def is_training_phone(phone: str | None, prefix: str) -> bool:
    """True for a number in the training range `prefix` (`SIMULATOR_PHONE_PREFIX`)."""
    return bool(phone and prefix and phone.startswith(prefix))
