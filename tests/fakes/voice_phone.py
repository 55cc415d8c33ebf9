"""A phone call driven the way Twilio or Africa's Talking drives it, against the app.

`TwilioCall` and `AtCall` post the call's first request, then follow the URLs of each reply
(the `<Gather>`/`<GetDigits>` action, the `<Record>` action, the `<Redirect>` on silence), with
the provider's field names. Twilio requests are signed with the SDK's `RequestValidator`.
Every reply is checked on the way: well-formed XML, absolute URLs on PUBLIC_BASE_URL (with
the AT token), only the verbs and attributes the provider knows, recordings that the app
really serves.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from lxml import etree
from twilio.request_validator import RequestValidator

from ivr_scripts import recordings
from ivr_scripts.catalogue import shipped

BASE_URL = "http://127.0.0.1:5000"
OUR_NUMBER = "+15005550006"
TWILIO_VOICES = {
    "id-ID": "Google.id-ID-Standard-A",
    "en-US": "Google.en-US-Standard-C",
}
TWILIO_VERBS = {"Gather", "Say", "Play", "Record", "Redirect", "Hangup", "Reject", "Pause"}
AT_VERBS = {"GetDigits", "Say", "Play", "Record", "Redirect", "Reject"}
_ids = itertools.count(1)


@cache
def audio_texts() -> dict[str, str]:
    """Recording file -> the words it holds, so AT's `<Play>` can be read as text."""
    return recordings.words(shipped())


@dataclass
class Reply:
    """One XML answer, parsed."""

    status: int
    content_type: str
    xml: str

    @property
    def root(self) -> etree._Element:
        return etree.fromstring(self.xml.encode("utf-8"))

    @property
    def verbs(self) -> list[str]:
        return [el.tag for el in self.root]

    def find(self, *tags: str) -> etree._Element | None:
        return next((el for el in self.root.iter(*tags)), None)

    @property
    def says(self) -> list[str]:
        """Everything spoken, in order; recordings as the words they hold."""
        out = []
        for el in self.root.iter("Say", "Play"):
            if el.tag == "Say":
                out.append(el.text or "")
            else:
                url = el.get("url") or el.text or ""
                out.append(audio_texts().get(url.rsplit("/", 1)[-1], f"<{url}>"))
        return out

    @property
    def text(self) -> str:
        return " ".join(self.says)

    @property
    def hangs_up(self) -> bool:
        """Twilio says `<Hangup/>`; AT simply runs out of actions."""
        root = self.root
        if root.find("Hangup") is not None:
            return True
        return (
            root.find("GetDigits") is None
            and root.find("Record") is None
            and root.find("Redirect") is None
            and root.find("Gather") is None
        )


class VoiceCall:
    """Shared driving logic; subclasses know the provider's fields."""

    provider = ""
    start_path = ""
    input_tag = ""

    def __init__(self, client, phone: str, *, base_url: str = BASE_URL, call_id: str | None = None):
        self.client = client
        self.phone = phone
        self.base_url = base_url
        self.call_id = call_id or self.new_call_id()
        self.reply: Reply | None = None
        self.replies: list[Reply] = []
        self.last_request: tuple[str, dict] | None = None
        self.served_audio: set[str] = set()

    # --- to override ----------------------------------------------------------------
    def new_call_id(self) -> str:
        raise NotImplementedError

    def fields(self, **extra) -> dict:
        raise NotImplementedError

    def check(self, reply: Reply) -> None:
        raise NotImplementedError

    # --- actions --------------------------------------------------------------------
    def dial(self) -> Reply:
        return self.post(self.first_url(), self.fields())

    def first_url(self) -> str:
        return self.base_url + self.start_path

    def post(self, url: str, form: dict, follow: bool = True) -> Reply:
        """POST like the provider; with `follow`, the reply becomes the one to act on next."""
        self.last_request = (url, form)
        parts = urlsplit(url)
        assert url.startswith(self.base_url), f"{url} is not on PUBLIC_BASE_URL"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        res = self.client.post(path, data=form, headers=self.headers(url, form))
        reply = Reply(res.status_code, res.content_type, res.get_data(as_text=True))
        if res.status_code == 200:
            self.check(reply)
            self.check_audio(reply)
            if follow:
                self.reply = reply
                self.replies.append(reply)
        return reply

    def repeat(self) -> Reply:
        """The provider sends its last request again (a retry)."""
        assert self.last_request is not None
        url, form = self.last_request
        return self.post(url, form)

    def headers(self, url: str, form: dict) -> dict:
        return {}

    def check_audio(self, reply: Reply) -> None:
        for el in reply.root.iter("Play"):
            url = el.get("url") or el.text or ""
            assert url.startswith(f"{self.base_url}/voice/audio/"), url
            if url not in self.served_audio:
                res = self.client.get(urlsplit(url).path)
                assert res.status_code == 200, f"{url} is not served"
                assert res.mimetype.startswith("audio/")
                self.served_audio.add(url)

    def action_el(self, *tags: str) -> etree._Element:
        el = self.reply.find(*tags) if self.reply else None
        assert el is not None, f"the last reply has no {'/'.join(tags)}: {self.reply}"
        return el

    def redirect_url(self) -> str:
        el = self.action_el("Redirect")
        return el.text.strip()


class TwilioCall(VoiceCall):
    provider = "twilio"
    start_path = "/voice/twilio"
    input_tag = "Gather"

    def __init__(self, client, phone: str, *, auth_token: str | None = None, outbound=False, **kw):
        super().__init__(client, phone, **kw)
        self.auth_token = auth_token
        self.outbound = outbound
        self.status = "ringing"

    def new_call_id(self) -> str:
        return f"CA{uuid.uuid4().hex}"

    def fields(self, **extra) -> dict:
        caller, called = (OUR_NUMBER, self.phone) if self.outbound else (self.phone, OUR_NUMBER)
        form = {
            "CallSid": self.call_id,
            "AccountSid": "AC" + "0" * 32,
            "From": caller,
            "To": called,
            "CallStatus": self.status,
            "Direction": "outbound-api" if self.outbound else "inbound",
            "ApiVersion": "2010-04-01",
        }
        self.status = "in-progress"
        form.update({k: v for k, v in extra.items() if v is not None})
        return form

    def headers(self, url: str, form: dict) -> dict:
        if not self.auth_token:
            return {}
        return {
            "X-Twilio-Signature": RequestValidator(self.auth_token).compute_signature(url, form)
        }

    def check(self, reply: Reply) -> None:
        assert reply.content_type.startswith("text/xml"), reply.content_type
        root = reply.root
        assert root.tag == "Response"
        for el in root.iter():
            assert el.tag in TWILIO_VERBS | {"Response"}, el.tag
            if el.tag == "Say":
                assert TWILIO_VOICES.get(el.get("language")) == el.get("voice"), el.attrib
            for name in ("action",):
                if el.get(name):
                    assert el.get(name).startswith(self.base_url + "/voice/twilio/")
            if el.tag == "Gather":
                assert el.get("input") == "dtmf" and el.get("method") == "POST"
                assert el.get("actionOnEmptyResult") == "true"
            if el.tag == "Redirect":
                assert el.text.startswith(self.base_url + "/voice/twilio/")

    def press(self, digits: str) -> Reply:
        gather = self.action_el("Gather")
        return self.post(gather.get("action"), self.fields(Digits=digits))

    def silence(self) -> Reply:
        """Nothing pressed (Gather posts empty digits) or nothing said (Record falls through
        to the Redirect)."""
        if self.reply.find("Gather") is not None:
            return self.post(self.action_el("Gather").get("action"), self.fields(Digits=""))
        return self.post(self.redirect_url(), self.fields())

    def record(self, url: str | None = None, duration: int = 42, key: str = "#") -> Reply:
        rec = self.action_el("Record")
        url = url or f"https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE{next(_ids)}"
        form = self.fields(
            RecordingUrl=url,
            RecordingDuration=str(duration),
            RecordingSid=url.rsplit("/", 1)[-1],
            Digits=key,
        )
        return self.post(rec.get("action"), form)

    def hang_up(self, duration: int = 60, status: str = "completed") -> Reply:
        self.status = status
        form = self.fields(CallDuration=str(duration), CallStatus=status)
        return self.post(f"{self.base_url}/voice/twilio/status", form, follow=False)


class AtCall(VoiceCall):
    provider = "africastalking"
    start_path = "/voice/africastalking"
    input_tag = "GetDigits"

    def __init__(self, client, phone: str, *, token: str | None = None, outbound=False, **kw):
        super().__init__(client, phone, **kw)
        self.token = token
        self.outbound = outbound
        self.callback_url: str | None = None

    def new_call_id(self) -> str:
        return f"ATVId_{uuid.uuid4().hex[:20]}"

    def first_url(self) -> str:
        url = self.base_url + self.start_path
        return url + (f"?token={self.token}" if self.token else "")

    def fields(self, **extra) -> dict:
        form = {
            "sessionId": self.call_id,
            "isActive": "1",
            "direction": "Outbound" if self.outbound else "Inbound",
            "callerNumber": OUR_NUMBER if self.outbound else self.phone,
            "destinationNumber": self.phone if self.outbound else OUR_NUMBER,
            "callerCountryCode": "ID",
            "callStartTime": "2025-03-01 16:13:56",
        }
        form.update({k: v for k, v in extra.items() if v is not None})
        return form

    def post(self, url: str, form: dict, follow: bool = True) -> Reply:
        reply = super().post(url, form, follow)
        if reply.status == 200 and follow:  # where AT sends the call's next notification
            action = reply.find("GetDigits", "Record")
            redirect = reply.find("Redirect")
            if action is not None and action.get("callbackUrl"):
                self.callback_url = action.get("callbackUrl")
            elif redirect is not None:
                self.callback_url = redirect.text.strip()
            else:
                self.callback_url = url
        return reply

    def check(self, reply: Reply) -> None:
        assert reply.content_type.startswith("application/xml"), reply.content_type
        root = reply.root
        assert root.tag == "Response"
        for el in root.iter():
            assert el.tag in AT_VERBS | {"Response"}, el.tag
            if el.tag == "Say":
                assert el.get("voice") == "woman"
            if el.tag in ("GetDigits", "Record"):
                assert len(el) <= 1, "AT takes one nested prompt"
            url = el.get("callbackUrl") or (el.text if el.tag == "Redirect" else None)
            if url:
                assert url.startswith(self.base_url + "/voice/africastalking/"), url
                if self.token:
                    assert f"token={self.token}" in url, url
        if root.find("Reject") is not None:
            assert len(root) == 1, "Reject must be alone"

    def press(self, digits: str) -> Reply:
        el = self.action_el("GetDigits")
        return self.post(el.get("callbackUrl"), self.fields(dtmfDigits=digits))

    def silence(self) -> Reply:
        """AT sends nothing when no key was pressed; it runs the `<Redirect>`."""
        if self.reply.find("Record") is not None:
            el = self.action_el("Record")
            return self.post(el.get("callbackUrl"), self.fields(recordingUrl=""))
        return self.post(self.redirect_url(), self.fields())

    def record(self, url: str | None = None, duration: int | None = None, key: str = "#") -> Reply:
        el = self.action_el("Record")
        url = url or f"https://voice.africastalking.com/recordings/{uuid.uuid4().hex}.mp3"
        return self.post(el.get("callbackUrl"), self.fields(recordingUrl=url))

    def hang_up(self, duration: int = 60, cause: str = "NORMAL_CLEARING", **extra) -> Reply:
        url = self.callback_url or self.first_url()
        form = self.fields(
            isActive="0",
            durationInSeconds=str(duration),
            hangupCause=cause,
            callSessionState="Completed",
            currencyCode="USD",
            amount="0.12",
            **extra,
        )
        return self.post(url, form, follow=False)


def make_call(provider: str, client, phone: str, **kw) -> VoiceCall:
    return {"twilio": TwilioCall, "africastalking": AtCall}[provider](client, phone, **kw)
