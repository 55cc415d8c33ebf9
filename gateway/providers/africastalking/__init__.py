"""Africa's Talking: USSD, SMS and voice. Each part is its own module beside this one."""

from ..assemble import assemble

PROVIDER = assemble("africastalking", __name__, ("sms", "ussd", "voice"))
