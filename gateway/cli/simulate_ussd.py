"""`pengaduan simulate ussd`: a phone in the terminal, dialling the running service the way
Africa's Talking calls it (one POST per screen, the whole input history in `text`)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import click
import requests

from casebridge.gsm import is_gsm7, septets
from ussd_menus.screens import LIMIT

PATH = "/ussd/africastalking"
EVENTS_PATH = "/ussd/africastalking/events"
TIMEOUT = 10
"""Seconds to wait for a screen; operators give up sooner."""
SANDBOX_NETWORK = "99999"


class Dial:
    """One USSD session against `url`, keeping AT's cumulative `text`."""

    def __init__(self, url: str, phone: str, code: str, token: str | None, network: str):
        self.base = url.rstrip("/")
        self.params = {"token": token} if token else {}
        self.fields = {
            "sessionId": f"SIMUid_{uuid.uuid4().hex}",
            "serviceCode": code,
            "phoneNumber": phone,
            "networkCode": network,
        }
        self.text = ""
        self.hops = 0
        self.last_input = ""
        self.last_reply = ""
        self.began = time.monotonic()

    def send(self, typed: str | None) -> str:
        """Send the next input (None: the first hop) and return the reply body."""
        if typed is not None:
            self.text = f"{self.text}*{typed}" if self.text else typed
            self.last_input = typed
        reply = self._post(PATH, {**self.fields, "text": self.text})
        self.hops += 1
        self.last_reply = reply
        return reply

    def hang_up(self, status: str) -> None:
        """Tell the service how the session ended, as AT's end-of-session notification does."""
        self._post(
            EVENTS_PATH,
            {
                **self.fields,
                "status": status,
                "hopsCount": str(self.hops),
                "durationInMillis": str(int((time.monotonic() - self.began) * 1000)),
                "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                "cost": "0",
                "input": self.last_input,
                "lastAppResponse": self.last_reply,
            },
        )

    def _post(self, path: str, form: dict[str, str]) -> str:
        try:
            resp = requests.post(self.base + path, params=self.params, data=form, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise click.ClickException(
                f"cannot reach {self.base} ({type(exc).__name__}); is `pengaduan serve` running?"
            ) from exc
        if resp.status_code != 200:
            raise click.ClickException(f"{path} answered {resp.status_code}: {resp.text.strip()}")
        return resp.text


def show(reply: str) -> None:
    """Print a screen as the phone shows it, with its size against the USSD limit."""
    kind, _, text = reply.partition(" ")
    size = f"{septets(text)}/{LIMIT}" if is_gsm7(text) else "NOT GSM-7"
    click.echo(click.style(f"--- {kind} ({size}) ---", dim=True))
    click.echo(text)
    click.echo(click.style("-" * 20, dim=True))


@click.command("ussd")
@click.option("--phone", default="+6281398765432", show_default=True, help="The caller (E.164).")
@click.option(
    "--url", default="http://127.0.0.1:5000", show_default=True, help="The running service."
)
@click.option(
    "--code",
    envvar="USSD_SERVICE_CODE",
    default="*123#",
    show_default=True,
    help="The service code dialled (USSD_SERVICE_CODE when set).",
)
@click.option(
    "--token",
    envvar="AT_WEBHOOK_TOKEN",
    default=None,
    help="The service's AT_WEBHOOK_TOKEN, if it has one (read from the environment).",
)
@click.option("--network", default=SANDBOX_NETWORK, show_default=True, help="networkCode sent.")
def command(phone: str, url: str, code: str, token: str | None, network: str) -> None:
    """Dial the USSD service like a basic phone: type your answer at each screen.

    An empty line (or Ctrl-D) hangs up; the session then counts as dropped, and dialling
    again within 30 minutes offers to continue an unfinished report.
    """
    dial = Dial(url, phone, code, token, network)
    click.echo(f"Dialling {code} from {phone} ({dial.base}).")
    reply = dial.send(None)
    while True:
        show(reply)
        if reply.startswith("END "):
            dial.hang_up("Success")
            return
        if not reply.startswith("CON "):
            dial.hang_up("Failed")
            raise click.ClickException("the reply starts with neither CON nor END")
        try:
            typed = click.prompt("", default="", show_default=False, prompt_suffix="> ")
        except (click.Abort, EOFError):
            typed = ""
        if not typed:
            dial.hang_up("Incomplete")
            click.echo("Hung up.")
            return
        reply = dial.send(typed)
