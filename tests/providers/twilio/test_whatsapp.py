"""Twilio's WhatsApp and MMS: `whatsapp:` senders are the WhatsApp channel, files of a message
are kept, replies leave to the `whatsapp:` address (the template as a Content SID), 63016
(outside the window) holds the message, and files come only from Twilio's hosts."""

from __future__ import annotations

import json

import pytest
from fakes.plugin import TWILIO_SID, TWILIO_TOKEN

from casebridge import whatsapp
from casebridge.attachments import Refused
from casebridge.messaging import OutboundSms
from gateway.providers.base import WebhookError
from gateway.providers.twilio.sms import fetch_media, parse_incoming, parse_status
from gateway.providers.twilio.sms_sender import TwilioSender

SENDER = "whatsapp:+14155238886"


def test_a_whatsapp_sender_is_the_whatsapp_channel_with_its_files():
    event = parse_incoming(
        {
            "MessageSid": "MM" + "1" * 32,
            "From": "whatsapp:+85251234568",
            "To": SENDER,
            "Body": "",
            "NumMedia": "2",
            "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
            "MediaContentType0": "image/jpeg",
            "MediaUrl1": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2",
            "MediaContentType1": "audio/ogg",
        }
    )
    assert (event.phone, event.our_number, event.text) == ("+85251234568", SENDER, "")
    assert whatsapp.channel(event.provider, event.our_number) == "whatsapp"
    assert [(m.content_type, m.provider_media_id[-3:]) for m in event.media] == [
        ("image/jpeg", "ME1"),
        ("audio/ogg", "ME2"),
    ]


@pytest.mark.parametrize(
    "form",
    [
        {"MessageSid": "MM1", "From": "+628123", "NumMedia": "x"},
        {"MessageSid": "MM1", "From": "+628123", "NumMedia": "1"},
        {"MessageSid": "MM1", "From": "+628123"},
    ],
    ids=["NumMedia not a number", "a file without its URL", "neither Body nor a file"],
)
def test_malformed(form):
    with pytest.raises(WebhookError):
        parse_incoming(form)


def test_outside_the_window_is_reengage():
    report = parse_status(
        {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "63016"}
    )
    assert report.status == whatsapp.REENGAGE


def test_replies_and_the_template_go_to_the_whatsapp_address(fake_twilio):
    sender = TwilioSender(TWILIO_SID, TWILIO_TOKEN, fake_twilio.url, "+15005550006")
    sender.send(OutboundSms(1, "+85251234568", "Halo", SENDER))
    meta = {"template": {"name": "HX" + "a" * 32, "params": ["4821-7730"]}}
    sender.send(OutboundSms(2, "+85251234568", "[template] 4821-7730", SENDER, meta))
    text, template = fake_twilio.sent
    assert (text["to"], text["from"], text["message"]) == ("whatsapp:+85251234568", SENDER, "Halo")
    assert template["to"] == "whatsapp:+85251234568" and template["message"] == ""
    assert template["content_sid"] == "HX" + "a" * 32
    assert json.loads(template["content_variables"]) == {"1": "4821-7730"}


def test_files_only_from_twilio(services, fake_twilio):
    settings = services.settings
    url = fake_twilio.add_media(b"\xff\xd8photo", "image/jpeg")
    assert fetch_media(settings, url, 1000) == (b"\xff\xd8photo", "image/jpeg")
    with pytest.raises(Refused):
        fetch_media(settings, "https://evil.example/photo.jpg", 1000)
    with pytest.raises(Refused):
        fetch_media(settings, url, 3)
