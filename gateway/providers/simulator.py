"""The `simulator` provider: messages are stored as delivered, for the simulator page and
for running the service without any telecom contract."""

from __future__ import annotations

import uuid

from casebridge.messaging import OutboundSms, SendResult
from casebridge.settings import Settings

from .base import Provider

NAME = "simulator"


class SimulatorSender:
    name = NAME

    def send(self, message: OutboundSms) -> SendResult:
        return SendResult(provider_message_id=f"SIM{uuid.uuid4().hex[:16]}", status="delivered")


def make_sender(settings: Settings) -> SimulatorSender:
    return SimulatorSender()


PROVIDER = Provider(name=NAME, make_sender=make_sender)
