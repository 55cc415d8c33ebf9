"""Twilio: SMS and voice. Each part is its own module beside this one."""

from ..assemble import assemble

PROVIDER = assemble("twilio", __name__, ("sms", "voice"))
