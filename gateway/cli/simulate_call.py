"""`pengaduan simulate call`: a phone call from the terminal, against the real endpoints.

It sends what Twilio or Africa's Talking would send (signing Twilio requests when
TWILIO_AUTH_TOKEN is set, adding AT_WEBHOOK_TOKEN), prints what the line says, takes key
presses, and takes the spoken message as typed text (sent as a made-up recording URL that
carries the text, so the case shows it). When the call ends it sends the provider's
end-of-call notification, as the provider would.
"""

from __future__ import annotations

import time
import uuid
from functools import cache
from urllib.parse import urlencode, urlsplit

import click
import requests
from lxml import etree
from twilio.request_validator import RequestValidator

from casebridge.settings import Settings, SettingsError
from ivr_scripts import recordings
from ivr_scripts.catalogue import shipped

PROVIDERS = ("twilio", "africastalking")
OUR_NUMBER = "+15005550006"
FAKE_RECORDINGS = "https://recordings.simulator.invalid/message.wav"
WORDS_PER_SECOND = 2.5
TIMEOUT = 20


@cache
def _recorded_prompts() -> dict[str, str]:
    """Recording file -> its words, to print what a `<Play>` says."""
    return recordings.words(shipped())


class SimulatedCall:
    """One call: what the provider sends, and how it follows the replies."""

    def __init__(self, provider: str, phone: str, url: str, settings: Settings):
        self.provider = provider
        self.phone = phone
        self.url = url.rstrip("/")
        self.settings = settings
        self.call_id = (
            f"CA{uuid.uuid4().hex}" if provider == "twilio" else f"ATVId_sim{uuid.uuid4().hex[:16]}"
        )
        self.started = time.monotonic()
        self.last_url = ""
        self.status = "ringing"

    # --- requests ---------------------------------------------------------------------
    def first_url(self) -> str:
        base = self.settings.public_base_url.rstrip("/")
        if self.provider == "twilio":
            return f"{base}/voice/twilio"
        token = self.settings.at_webhook_token
        return f"{base}/voice/africastalking" + (f"?{urlencode({'token': token})}" if token else "")

    def fields(self, **extra: str) -> dict[str, str]:
        if self.provider == "twilio":
            form = {
                "CallSid": self.call_id,
                "AccountSid": self.settings.twilio_account_sid or "AC" + "0" * 32,
                "From": self.phone,
                "To": self.settings.twilio_from or OUR_NUMBER,
                "CallStatus": self.status,
                "Direction": "inbound",
                "ApiVersion": "2010-04-01",
            }
            self.status = "in-progress"
        else:
            form = {
                "sessionId": self.call_id,
                "isActive": "1",
                "direction": "Inbound",
                "callerNumber": self.phone,
                "destinationNumber": self.settings.at_voice_number or OUR_NUMBER,
            }
        form.update(extra)
        return form

    def post(self, public_url: str, form: dict[str, str]) -> etree._Element | None:
        """POST to `public_url`'s path on --url, signed for the public URL the server knows."""
        parts = urlsplit(public_url)
        target = self.url + parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {}
        token = self.settings.twilio_auth_token
        if self.provider == "twilio" and token:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                public_url, form
            )
        try:
            res = requests.post(target, data=form, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise click.ClickException(
                f"cannot reach {self.url} ({exc}); is `pengaduan serve` running?"
            ) from exc
        if res.status_code == 403:
            raise click.ClickException(
                "the service refused the request (403): TWILIO_AUTH_TOKEN / AT_WEBHOOK_TOKEN and "
                "PUBLIC_BASE_URL here must match the server's"
            )
        if res.status_code != 200:
            raise click.ClickException(f"the service answered {res.status_code}: {res.text[:200]}")
        self.last_url = public_url
        try:
            return etree.fromstring(res.content)
        except etree.XMLSyntaxError as exc:
            raise click.ClickException(
                f"the service answered something that is not XML: {exc}"
            ) from exc

    def hang_up(self, cause: str = "NORMAL_CLEARING") -> None:
        """The provider's end-of-call notification."""
        seconds = str(int(time.monotonic() - self.started))
        if self.provider == "twilio":
            status = "busy" if cause == "CALL_REJECTED" else "completed"
            base = self.settings.public_base_url.rstrip("/")
            form = self.fields(CallStatus=status, CallDuration=seconds)
            self.post(f"{base}/voice/twilio/status", form)
        else:
            form = self.fields(
                isActive="0",
                durationInSeconds=seconds,
                hangupCause=cause,
                callSessionState="Completed",
            )
            self.post(self.last_url or self.first_url(), form)

    # --- the conversation ---------------------------------------------------------------
    def run(self) -> None:
        click.echo(f"Calling the voice line through {self.provider} from {self.phone}…")
        reply = self.post(self.first_url(), self.fields())
        while reply is not None:
            reply = self.turn(reply)

    def turn(self, reply: etree._Element) -> etree._Element | None:
        for el in reply.iter("Say", "Play"):
            click.echo(f"  line: {self.spoken(el)}")
        if reply.find("Reject") is not None:
            click.echo("(The line refused the call, free of charge: it will call you back.)")
            self.hang_up("CALL_REJECTED")
            return None
        gather = next(reply.iter("Gather", "GetDigits"), None)
        record = reply.find("Record")
        if gather is not None:
            keys = self.ask("keys (Enter: press nothing, q: hang up)")
            if keys is None:
                return self.end()
            if not keys:
                return self.nothing(reply, gather)
            return self.post(self.action(gather), self.fields(**self.digits(keys)))
        if record is not None:
            click.echo("  (beep)")
            message = self.ask("your message (Enter: say nothing, q: hang up)")
            if message is None:
                return self.end()
            if not message:
                return self.nothing(reply, record)
            return self.post(self.action(record), self.fields(**self.recording(message)))
        click.echo("(The line hung up.)")
        self.hang_up()
        return None

    def ask(self, label: str) -> str | None:
        try:
            text = click.prompt(label, default="", show_default=False, prompt_suffix="> ")
        except click.Abort:
            return None
        text = text.strip()
        return None if text.lower() == "q" else text

    def end(self) -> None:
        click.echo("(You hung up.)")
        self.hang_up()
        return None

    def spoken(self, el: etree._Element) -> str:
        if el.tag == "Say":
            return (el.text or "").strip()
        url = el.get("url") or el.text or ""
        return _recorded_prompts().get(url.rsplit("/", 1)[-1], f"[recording {url}]")

    def action(self, el: etree._Element) -> str:
        return el.get("action") or el.get("callbackUrl") or self.last_url

    def digits(self, keys: str) -> dict[str, str]:
        keys = keys.rstrip("#")
        return {"Digits": keys} if self.provider == "twilio" else {"dtmfDigits": keys}

    def recording(self, message: str) -> dict[str, str]:
        url = f"{FAKE_RECORDINGS}?{urlencode({'call': self.call_id, 'text': message[:300]})}"
        seconds = str(max(1, min(120, round(len(message.split()) / WORDS_PER_SECOND))))
        if self.provider == "twilio":
            return {"RecordingUrl": url, "RecordingDuration": seconds, "Digits": "#"}
        return {"recordingUrl": url, "recordingDuration": seconds}

    def nothing(self, reply: etree._Element, waiting: etree._Element) -> etree._Element | None:
        """No key, or silence: Twilio posts an empty result to a `<Gather>`, otherwise both
        providers run the `<Redirect>` that follows."""
        if self.provider == "twilio" and waiting.tag == "Gather":
            return self.post(self.action(waiting), self.fields(Digits=""))
        if self.provider == "africastalking" and waiting.tag == "Record":
            return self.post(self.action(waiting), self.fields(recordingUrl=""))
        redirect = reply.find("Redirect")
        if redirect is None or not redirect.text:
            return self.end()
        return self.post(redirect.text.strip(), self.fields())


@click.command("call")
@click.option("--provider", type=click.Choice(PROVIDERS), default="twilio", show_default=True)
@click.option("--phone", default="+6281398765432", show_default=True, help="The caller's number.")
@click.option(
    "--url", default="http://127.0.0.1:5000", show_default=True, help="Where the service runs."
)
def command(provider: str, phone: str, url: str) -> None:
    """Call the voice line: hear the prompts as text, press keys, type your message."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    SimulatedCall(provider, phone, url, settings).run()
