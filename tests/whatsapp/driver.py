"""WhatsApp as a scenario driver: the SMS driver, plus Meta's signed webhooks in and the fake
Graph API recording what the app sends (`via: whatsapp`, its text as a person reads it: a
question with its numbered choices, `[template name] ref`).

Actions: `wa: {from, text | reply: {id, title, kind} | file: {kind, type, content}, id,
signature}` (a message; `id` again is Meta retrying; `signature` a wrong one), `wa_status:
{to, status, code}` (a status of the last message sent to `to`), `downloads: true` (the media
jobs run: they run after every step anyway). Sends by Twilio to `whatsapp:` addresses are
`via: twilio`, `to: 'whatsapp:+…'`; `sms: {via: twilio, media: [{type, content}]}` adds files
(served by the fake Twilio). Check: `attachments:` every file kept or refused."""

from __future__ import annotations

import uuid

from fakes import meta_webhooks, webhooks
from fakes.graph_api import shown
from fakes.plugin import PUBLIC_BASE_URL  # noqa: F401 - the URL Twilio signs
from sms.driver import SmsDriver
from sqlalchemy import select

from casebridge.models import Attachment

VIA = "whatsapp"


class WhatsAppDriver(SmsDriver):
    actions = (*SmsDriver.actions, "wa", "wa_status")
    checks = ("attachments",)
    default_via = VIA

    def __init__(self, client, services, jobs, fakes: dict):
        super().__init__(client, services, jobs, fakes)
        self.services = services

    def check(self, key: str, expected: list, where: str) -> None:
        """`attachments: [{kind, status, channel, case}]`: every attachment, oldest first
        (`case: true`: it belongs to a case)."""
        with self.services.db.session() as session:
            rows = list(session.scalars(select(Attachment).order_by(Attachment.id)))
            got = [
                {
                    "kind": a.kind,
                    "status": a.status,
                    "channel": a.channel,
                    "case": a.case_id is not None,
                }
                for a in rows
            ]
        wanted = [{k: got[i][k] for k in e} if i < len(got) else e for i, e in enumerate(expected)]
        assert len(got) == len(expected) and wanted == expected, (where, got)

    def act(self, action: str, arg):
        if action == "wa":
            self.statuses = (arg.pop("status", 200),) if isinstance(arg, dict) else (200,)
            return self.message(arg)
        if action == "wa_status":
            self.statuses = (200,)
            sent = [m for m in self.fakes[VIA].sent if "+" + m["to"] == arg["to"]]
            assert sent, f"nothing was sent to {arg['to']} on WhatsApp"
            value = meta_webhooks.status(sent[-1]["id"], arg["to"], arg["status"], arg.get("code"))
            return meta_webhooks.post(self.client, value)
        return super().act(action, arg)

    def message(self, spec: dict):
        phone, message_id = spec["from"], spec.get("id")
        if "reply" in spec:
            r = spec["reply"]
            value = meta_webhooks.reply(
                phone,
                str(r["id"]),
                r.get("title", ""),
                r.get("kind", "button_reply"),
                message_id=message_id,
            )
        elif "file" in spec:
            f = spec["file"]
            media_id = self.fakes[VIA].add_media(f["content"].encode(), f["type"])
            extra = {"voice": True} if f["kind"] == "audio" else {}
            value = meta_webhooks.media(phone, f["kind"], media_id, f["type"], **extra)
        else:
            value = meta_webhooks.text(phone, spec["text"], message_id)
        if "signature" in spec:
            return meta_webhooks.post(self.client, value, signature=spec["signature"])
        return meta_webhooks.post(self.client, value)

    def inbound(self, sms: dict):
        files = sms.get("media")
        if sms.get("via") != "twilio" or not files:
            return super().inbound(sms)
        params = {
            "MessageSid": sms.get("id") or "MM" + uuid.uuid4().hex,
            "AccountSid": "AC" + "1" * 32,
            "From": sms["from"],
            "To": sms["to"],
            "Body": sms.get("text", ""),
            "NumMedia": str(len(files)),
        }
        for i, f in enumerate(files):
            params[f"MediaUrl{i}"] = self.fakes["twilio"].add_media(
                f["content"].encode(), f["type"]
            )
            params[f"MediaContentType{i}"] = f["type"]
        return webhooks.post_twilio(self.client, "/sms/twilio", params)

    def settle(self) -> list[dict]:
        graph = self.fakes.pop(VIA)
        try:
            found = super().settle()
        finally:
            self.fakes[VIA] = graph
        seen = self.seen.get(VIA, 0)
        found += [
            {"via": VIA, "from": None, "to": "+" + m["to"], "text": shown(m)}
            for m in graph.sent[seen:]
        ]
        self.seen[VIA] = len(graph.sent)
        return found
