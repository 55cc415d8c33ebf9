"""WhatsApp Business Cloud API (Meta): the WhatsApp channel (protocols.md F), one module per part:

    signature.py  X-Hub-Signature-256 (the one helper the check and the tests use)
    webhook.py    GET/POST /whatsapp/meta: verification, messages, statuses
    status.py     statuses and Meta's error codes as data
    sender.py     WhatsAppSender: text, interactive buttons/lists, the template (requests)
    fetch.py      fetch_media: a file a person sent, from Meta's media host

Meta publishes no official Python SDK (its official one is for Node); the community clients
(pywa, heyoo) are whole frameworks around the same few JSON calls, so the sender and the media
download use `requests` (already a dependency) with one Session, timeouts and the bearer token.

Replies come from the conversation of gateway/sms (the same as SMS); WhatsApp's messaging window
is casebridge/whatsapp.py."""

from casebridge.settings import Settings

from ..base import Provider
from .fetch import fetch_media
from .sender import NAME, WhatsAppSender
from .signature import sign, signature_ok
from .webhook import PATH, blueprint

__all__ = ["NAME", "PATH", "PROVIDER", "WhatsAppSender", "make_sender", "sign", "signature_ok"]


def make_sender(settings: Settings) -> WhatsAppSender | None:
    """The sender, or None when WHATSAPP_TOKEN / WHATSAPP_PHONE_NUMBER_ID are not set."""
    if not settings.whatsapp_token or not settings.whatsapp_phone_number_id:
        return None
    return WhatsAppSender(
        settings.whatsapp_token, settings.whatsapp_phone_number_id, settings.whatsapp_api_url
    )


def in_use(settings: Settings) -> bool:
    return bool(settings.whatsapp_token or settings.whatsapp_phone_number_id)


PROVIDER = Provider(
    name=NAME,
    blueprints=(blueprint,),
    make_sender=make_sender,
    fetch_media=fetch_media,
    settings=(
        "WHATSAPP_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_VERIFY_TOKEN",
        "WHATSAPP_API_URL",
        "WHATSAPP_TEMPLATE_STATUS",
        "WHATSAPP_SESSION_HOURS",
    ),
    signed_by="WHATSAPP_APP_SECRET",
    in_use=in_use,
)
