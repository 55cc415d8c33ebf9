"""The `simulator` provider: messages are stored as delivered, for the simulator page and
for running the service without any telecom contract."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from casebridge import private_files
from casebridge.attachments import Refused, bare_type
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


MEDIA_PREFIX = "sim"
"""Media ids of files the simulator's WhatsApp phone sent (kept in the instance folder)."""


def _media_dir(settings: Settings) -> Path:
    return settings.instance_dir / "simulator-media"


def keep_media(settings: Settings, content: bytes, content_type: str) -> str:
    """Keep a file the simulator's phone sends; returns its media id."""
    media_id = MEDIA_PREFIX + uuid.uuid4().hex
    folder = private_files.folder(_media_dir(settings))
    path = private_files.file(folder / media_id)
    path.write_bytes(content)
    (folder / f"{media_id}.type").write_text(bare_type(content_type))
    return media_id


class SimulatedMedia:
    """A provider's media download while the simulator is on: files the simulator's phone
    sent come from the instance folder; every other file from the provider as usual."""

    def __init__(self, real: Callable[[Settings, str, int], tuple[bytes, str]]):
        self.real = real

    def __call__(self, settings: Settings, media_id: str, limit: int) -> tuple[bytes, str]:
        if not (media_id.startswith(MEDIA_PREFIX) and media_id[3:].isalnum()):
            return self.real(settings, media_id, limit)
        path = _media_dir(settings) / media_id
        if not path.is_file():
            raise Refused("the simulator's file is gone")
        content = path.read_bytes()
        if len(content) > limit:
            raise Refused(f"larger than the limit of {limit} bytes (MAX_MEDIA_BYTES)")
        return content, path.with_name(f"{media_id}.type").read_text()


def make_sender(settings: Settings) -> SimulatorSender:
    return SimulatorSender()


PROVIDER = Provider(name=NAME, make_sender=make_sender)
