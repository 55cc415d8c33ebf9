"""The WhatsApp sender: whole payloads for text, buttons, lists and the template (pure), and
what Meta's answers mean, against the fake Graph API (bearer token checked)."""

from __future__ import annotations

import pytest
from fakes.plugin import WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TOKEN

from casebridge.messaging import (
    OutboundSms,
    OutsideWindowError,
    PermanentSendError,
    RetryableSendError,
)
from gateway.providers.whatsapp import WhatsAppSender
from gateway.providers.whatsapp.sender import payload

TO = "+60129876543"
BASE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "60129876543"}


def choices(*titles: str) -> dict:
    rows = [{"id": str(i), "title": t} for i, t in enumerate(titles, start=1)]
    return {"choices": {"head": "Pilih:", "button": "Pilih", "rows": rows}}


def test_text():
    assert payload(TO, "Halo", {}) == {
        **BASE,
        "type": "text",
        "text": {"body": "Halo", "preview_url": False},
    }


def test_three_short_choices_are_buttons():
    assert payload(TO, "fallback", choices("Ya, aman", "Tidak aman")) == {
        **BASE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Pilih:"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "1", "title": "Ya, aman"}},
                    {"type": "reply", "reply": {"id": "2", "title": "Tidak aman"}},
                ]
            },
        },
    }


def test_more_choices_or_longer_titles_are_a_list():
    long = "Tidak ingin menyebutkan sama sekali"
    sent = payload(TO, "fallback", choices("Perempuan", long))
    assert sent["interactive"] == {
        "type": "list",
        "body": {"text": "Pilih:"},
        "action": {
            "button": "Pilih",
            "sections": [
                {
                    "title": "Pilih:",
                    "rows": [
                        {"id": "1", "title": "Perempuan"},
                        {"id": "2", "title": "Tidak ingin menyebutkan…", "description": long},
                    ],
                }
            ],
        },
    }
    assert all(len(r["title"]) <= 24 for r in sent["interactive"]["action"]["sections"][0]["rows"])


def test_more_than_ten_choices_are_the_numbered_text():
    sent = payload(TO, "1 a\n2 b", choices(*[f"Choice {i}" for i in range(11)]))
    assert sent["type"] == "text" and sent["text"]["body"] == "1 a\n2 b"


def test_template_carries_only_its_parameter():
    meta = {"template": {"name": "pengaduan_status", "language": "en", "params": ["4821-7730"]}}
    assert payload(TO, "[pengaduan_status] 4821-7730", meta) == {
        **BASE,
        "type": "template",
        "template": {
            "name": "pengaduan_status",
            "language": {"code": "en"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "4821-7730"}]}],
        },
    }


def sender(fake_graph, token: str = WHATSAPP_TOKEN) -> WhatsAppSender:
    return WhatsAppSender(token, WHATSAPP_PHONE_NUMBER_ID, fake_graph.api_url)


def test_send_returns_the_wamid(fake_graph):
    result = sender(fake_graph).send(OutboundSms(1, TO, "Halo"))
    assert result.provider_message_id == fake_graph.sent[0]["id"]
    assert result.provider_message_id.startswith("wamid.")
    assert fake_graph.requests[0].headers["Authorization"] == f"Bearer {WHATSAPP_TOKEN}"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (131026, PermanentSendError),
        (131047, OutsideWindowError),
        (130429, RetryableSendError),
        (131000, RetryableSendError),
        (131016, RetryableSendError),
    ],
)
def test_refusals(fake_graph, code, error):
    fake_graph.errors["60129876543"] = code
    with pytest.raises(error) as raised:
        sender(fake_graph).send(OutboundSms(1, TO, "Halo"))
    assert type(raised.value) is error and raised.value.code == str(code)


def test_a_wrong_token_and_a_server_error(fake_graph):
    with pytest.raises(RetryableSendError) as raised:  # 190: fixed by correcting the token
        sender(fake_graph, "wrong").send(OutboundSms(1, TO, "Halo"))
    assert raised.value.code == "190"
    fake_graph.fail_next(1, 503)
    with pytest.raises(RetryableSendError):
        sender(fake_graph).send(OutboundSms(1, TO, "Halo"))


def test_the_token_never_appears_in_errors(fake_graph):
    fake_graph.errors["60129876543"] = 131026
    with pytest.raises(PermanentSendError) as raised:
        sender(fake_graph).send(OutboundSms(1, TO, "Halo"))
    assert WHATSAPP_TOKEN not in str(raised.value) and WHATSAPP_TOKEN not in repr(
        sender(fake_graph)
    )
