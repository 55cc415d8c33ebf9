"""`pengaduan android connect`: registers this service's webhooks on the phone (idempotent)."""

from __future__ import annotations

import click
import requests
from android_sms_gateway import Webhook, WebhookEvent
from android_sms_gateway.errors import APIError

from .phones import Phone, default_phone, missing_settings
from .protocol import NAME, PATH, WEBHOOK_IDS
from .sender import TimeoutSession, api_client, send_error


@click.group(NAME)
def cli() -> None:
    """The Android gateway phone (SMS Gateway for Android)."""


@cli.command("connect")
def connect() -> None:
    """Register this service's webhooks on the phone (rerun: replaces them)."""
    from ...cli.common import load_settings, table

    settings = load_settings()
    missing = missing_settings(settings)
    if missing:
        raise click.ClickException(
            f"{', '.join(missing)} not set: copy them from the Home tab of SMS Gateway for "
            "Android (Local server, or Cloud server) into the settings"
        )
    url = settings.public_base_url.rstrip("/") + PATH
    if not settings.android_webhook_key:
        click.echo(
            "warning: ANDROID_WEBHOOK_KEY is not set, so every webhook will be refused; copy "
            "the signing key from the app (Settings > Webhooks > Signing Key)",
            err=True,
        )
    rows = register_or_explain(
        default_phone(settings), url, f"ANDROID_GATEWAY_URL {settings.android_gateway_url}"
    )
    click.echo(table(rows, ("event", "id", "url", "action")))


def register_or_explain(phone: Phone, url: str, where: str) -> list[tuple[str, str, str, str]]:
    """`register`, with every way it can fail said in one line for the console (`where`: how
    the operator knows the phone's address)."""
    if url.startswith("http://") and not url.startswith("http://127.0.0.1"):
        click.echo(f"warning: the phone only calls HTTPS addresses, not {url}", err=True)
    try:
        return register(phone, url)
    except APIError as exc:
        raise click.ClickException(f"the phone refused: {send_error(exc)}") from None
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise click.ClickException(f"the phone refused: HTTP {status}") from None
    except (KeyError, ValueError):
        raise click.ClickException("the phone's answer was not understood") from None
    except requests.RequestException as exc:
        raise click.ClickException(
            f"could not reach {where} ({type(exc).__name__}): is the phone on, and the app's "
            "server started?"
        ) from None


def register(phone: Phone, url: str) -> list[tuple[str, str, str, str]]:
    """Delete our earlier registrations (same URL, or our ids), then register each event."""
    rows = []
    with TimeoutSession() as session, api_client(session, phone) as client:
        ours = [
            hook
            for hook in client.get_webhooks()
            if hook.id in WEBHOOK_IDS.values()
            or (hook.url == url and hook.event.value in WEBHOOK_IDS)
        ]
        for hook in ours:
            try:
                client.delete_webhook(hook.id)
            except requests.HTTPError as exc:  # already gone is fine
                if exc.response is None or exc.response.status_code != 404:
                    raise
        replaced = {hook.event.value for hook in ours}
        for event, hook_id in WEBHOOK_IDS.items():
            created = client.create_webhook(Webhook(id=hook_id, url=url, event=WebhookEvent(event)))
            action = "replaced" if event in replaced else "created"
            rows.append((event, created.id or hook_id, created.url, action))
    return rows
