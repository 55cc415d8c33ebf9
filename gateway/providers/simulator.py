"""The `simulator` provider: messages are stored as delivered, for the simulator page and
for running the service without any telecom contract."""

from __future__ import annotations

import uuid

from casebridge.messaging import OutboundSms, Sender, SendResult
from casebridge.settings import Settings
from casebridge.training import is_training_phone

from .base import Provider

NAME = "simulator"


class SimulatorSender:
    name = NAME

    def send(self, message: OutboundSms) -> SendResult:
        return SendResult(provider_message_id=f"SIM{uuid.uuid4().hex[:16]}", status="delivered")


class TrainingRangeSender:
    """A real provider's sender while the simulator is on: messages to the training range
    reach the simulator's inboxes, never a phone; every other message goes out as usual."""

    def __init__(self, real: Sender, prefix: str):
        self.name, self.real, self.prefix = real.name, real, prefix

    def send(self, message: OutboundSms) -> SendResult:
        if is_training_phone(message.to, self.prefix):
            return SimulatorSender().send(message)
        return self.real.send(message)


def make_sender(settings: Settings) -> SimulatorSender:
    return SimulatorSender()


PROVIDER = Provider(name=NAME, make_sender=make_sender)
