"""`pengaduan doctor`: is this deployment safe to pilot? Each problem is printed with the
setting that fixes it; the exit status is 1 when something blocks a pilot."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass

import click
from sqlalchemy import select

from casebridge import accounts, rotation
from casebridge.datakeys import GENERATE_HINT, DataKeyError, DataKeys
from casebridge.db import Database
from casebridge.settings import DATA_KEY_FILE, SECRET_KEY_FILE, Settings, SettingsError

from ..services import connect_redis

SMTP_TIMEOUT = 5


@dataclass(frozen=True)
class Problem:
    what: str
    fix: str
    blocks: bool = True
    """False: worth knowing, not a reason to stop a pilot."""


def _providers(s: Settings) -> list[Problem]:
    found = []
    if (s.at_username or s.at_api_key) and not s.at_webhook_token:
        found.append(
            Problem(
                "Africa's Talking is configured but its webhooks are not protected",
                "set AT_WEBHOOK_TOKEN (a long random token) and add ?token=… to every AT URL",
            )
        )
    if s.twilio_account_sid and not s.twilio_auth_token:
        found.append(
            Problem(
                "Twilio is configured but its webhook signatures cannot be checked",
                "set TWILIO_AUTH_TOKEN (the account's primary auth token)",
            )
        )
    if s.android_gateway_url and not s.android_webhook_key:
        found.append(
            Problem(
                "the Android gateway phone is configured but its webhooks are not signed",
                "set ANDROID_WEBHOOK_KEY (the app's Settings > Webhooks > Signing Key)",
            )
        )
    found += _whatsapp(s)
    if s.allow_unsigned_webhooks:
        found.append(
            Problem(
                "webhooks of a provider without its secret are accepted from anyone",
                "unset ALLOW_UNSIGNED_WEBHOOKS (it is for a laptop on loopback only)",
            )
        )
    return found


def _whatsapp(s: Settings) -> list[Problem]:
    if not (s.whatsapp_token or s.whatsapp_phone_number_id):
        return []
    found = []
    if not s.whatsapp_app_secret:
        found.append(
            Problem(
                "WhatsApp is configured but Meta's webhook signatures cannot be checked",
                "set WHATSAPP_APP_SECRET (the app's App Secret, Meta developer console)",
            )
        )
    if not s.whatsapp_token or not s.whatsapp_phone_number_id:
        found.append(
            Problem(
                "WhatsApp replies cannot be sent",
                "set both WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID",
            )
        )
    if not s.whatsapp_verify_token:
        found.append(
            Problem(
                "Meta cannot subscribe this service's webhook (GET /whatsapp/meta answers 403)",
                "set WHATSAPP_VERIFY_TOKEN to a long random value and the same in Meta's console",
            )
        )
    if not s.whatsapp_api_url.startswith("https://"):
        found.append(
            Problem(
                f"WHATSAPP_API_URL is {s.whatsapp_api_url!r}: the token would travel in clear",
                "unset WHATSAPP_API_URL (https://graph.facebook.com/v21.0)",
            )
        )
    if not 1 <= s.whatsapp_session_hours <= 24:
        found.append(
            Problem(
                f"WHATSAPP_SESSION_HOURS is {s.whatsapp_session_hours}: Meta allows free text "
                "only within 24 hours of the person's last message",
                "set WHATSAPP_SESSION_HOURS between 1 and 24 (default 24)",
            )
        )
    if not s.whatsapp_template_status:
        found.append(
            Problem(
                "no WHATSAPP_TEMPLATE_STATUS: updates after 24 hours of silence wait until the "
                "reporter writes again, without a notice",
                "set WHATSAPP_TEMPLATE_STATUS to an approved neutral template ({{1}}: reference)",
                blocks=False,
            )
        )
    return found


def _settings(s: Settings) -> list[Problem]:
    found = []
    if not s.secret_key:
        found.append(
            Problem(
                "no SECRET_KEY: sessions and PINs would depend on a key generated on this machine",
                "set SECRET_KEY to a long random value, the same in every process",
            )
        )
    if not s.public_base_url.startswith("https://"):
        found.append(
            Problem(
                f"PUBLIC_BASE_URL is {s.public_base_url!r}: providers would call in clear",
                "set PUBLIC_BASE_URL to the service's https:// address",
            )
        )
    real = any((s.at_api_key, s.twilio_auth_token, s.android_gateway_url, s.whatsapp_token))
    if (s.simulator_enabled or s.demo) and real:
        found.append(
            Problem(
                "the simulator is on while real provider credentials are set",
                "unset SIMULATOR_ENABLED on the service that holds real reports",
            )
        )
    if s.max_media_bytes < 1:
        found.append(
            Problem(
                f"MAX_MEDIA_BYTES is {s.max_media_bytes}: every photo and voice note is refused",
                "unset MAX_MEDIA_BYTES (16 MB) or set a positive number of bytes",
            )
        )
    if s.database_url.startswith("sqlite"):
        found.append(
            Problem(
                "the database is SQLite: fine for one machine, not for several workers",
                "set DATABASE_URL=postgresql://…",
                blocks=False,
            )
        )
    return found


def _smtp(s: Settings) -> list[Problem]:
    if not s.smtp_host:
        return []
    context = ssl.create_default_context()
    try:
        if s.smtp_port == 465:
            with smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT, context=context
            ) as smtp:
                smtp.ehlo()
            return []
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                return [
                    Problem(
                        f"SMTP {s.smtp_host}:{s.smtp_port} offers no TLS: mail would go in clear",
                        "set SMTP_HOST/SMTP_PORT to a server with STARTTLS (587) or TLS (465)",
                    )
                ]
            smtp.starttls(context=context)
        return []
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        return [
            Problem(
                f"SMTP {s.smtp_host}:{s.smtp_port} cannot be used safely ({exc})",
                "check SMTP_HOST and SMTP_PORT, and that the server's certificate is valid",
            )
        ]


def _reachable(s: Settings) -> list[Problem]:
    found = []
    db = Database(s.database_url)
    try:
        if not db.ping():
            found.append(Problem("the database does not answer", "check DATABASE_URL"))
        else:
            found += _people(db)
    finally:
        db.dispose()
    if s.redis_url is None:
        found.append(
            Problem(
                "no REDIS_URL: only `pengaduan serve` with its embedded Redis can run",
                "set REDIS_URL=redis://… so that web processes and workers share one Redis",
            )
        )
    else:
        try:
            connect_redis(s.redis_url).ping()
        except Exception:
            found.append(Problem("Redis does not answer", "check REDIS_URL"))
    return found


def _people(db: Database) -> list[Problem]:
    try:
        with db.session() as session:
            ready = accounts.coordinators_exist(session)
    except Exception:  # not migrated yet: `db upgrade` is another problem's fix
        return []
    if ready:
        return []
    return [
        Problem(
            "no coordinator account can sign in: nobody can open the dashboard",
            "`pengaduan users invite EMAIL --org <coordinator org> --role coordinator`"
            " and open the printed link",
            blocks=False,
        )
    ]


def _phones(s: Settings) -> list[Problem]:
    """Registered gateway phones whose secrets do not decrypt with this SECRET_KEY."""
    from casebridge import secretbox
    from casebridge.models import GatewayPhone

    found = []
    key_file = s.instance_dir / SECRET_KEY_FILE
    key = s.secret_key or (key_file.read_text().strip() if key_file.is_file() else "")
    try:
        db = Database(s.database_url)
        with db.session() as session:
            rows = list(session.scalars(select(GatewayPhone).where(GatewayPhone.enabled)))
            for row in rows:
                try:
                    secretbox.decrypt(key, row.password_secret)
                    secretbox.decrypt(key, row.webhook_key_secret)
                except secretbox.SecretBoxError:
                    found.append(
                        Problem(
                            f"gateway phone {row.name}: its password and webhook key cannot be "
                            "decrypted with this SECRET_KEY, so nothing is sent through it and "
                            "its webhooks are refused",
                            "set the SECRET_KEY it was added with, or `pengaduan phones "
                            f"disable {row.name}` and add it again",
                            blocks=False,
                        )
                    )
        db.dispose()
    except Exception:  # noqa: S110 - no database or no table yet: _reachable says so
        pass
    return found


def _data_keys(s: Settings) -> tuple[DataKeys | None, list[Problem]]:
    """The keyring the service would use, or why it has none."""
    key_file = s.instance_dir / DATA_KEY_FILE
    if s.data_key:
        source, text = "DATA_KEY", s.data_key
    elif s.embedded:
        if not key_file.is_file():
            return None, []  # generated when the service first starts
        source, text = str(key_file), key_file.read_text()
    else:
        hint = (
            f" (this instance's generated keyring is in {key_file})" if key_file.is_file() else ""
        )
        return None, [
            Problem(
                "no DATA_KEY: the service refuses to start, it has no key to encrypt "
                "the reporters' personal data with",
                f"set DATA_KEY to a new key, the same in every process: `{GENERATE_HINT}`{hint}",
            )
        ]
    try:
        return DataKeys.from_text(text), []
    except DataKeyError as exc:
        return None, [
            Problem(
                f"{source} is not a usable keyring: {exc}",
                "set DATA_KEY to the key(s) the data is encrypted under, comma separated, "
                "the current first",
            )
        ]


def _keys_in_database(s: Settings, keys: DataKeys | None) -> list[Problem]:
    """Values under a key the keyring lacks (unreadable), or under an older one of it."""
    if keys is None and not s.embedded:
        return []  # the missing DATA_KEY is the problem
    try:
        db = Database(s.database_url)
        try:
            counts = rotation.census(db.engine)
        finally:
            db.dispose()
    except Exception:  # no database or no table yet: _reachable says so
        return []
    held = keys.ids if keys else ()
    unknown, older, plain = {}, {}, {}
    for table, per_key in counts.items():
        for kid, n in per_key.items():
            if kid == rotation.NOT_ENCRYPTED:
                plain[table] = plain.get(table, 0) + n
            elif kid not in held:
                unknown.setdefault(kid, []).append(f"{table} {n}")
            elif kid != held[0]:
                older.setdefault(kid, []).append(f"{table} {n}")
    found = []
    holder = "DATA_KEY" if s.data_key else f"the instance keyring {s.instance_dir / DATA_KEY_FILE}"
    for kid, where in sorted(unknown.items()):
        found.append(
            Problem(
                f"values in the database are encrypted under data key {kid}, which {holder} "
                f"does not hold: they cannot be read ({', '.join(where)})",
                f"add that key to {holder} after the current one, then `pengaduan keys rotate`",
            )
        )
    for kid, where in sorted(older.items()):
        found.append(
            Problem(
                f"a rotation is unfinished: values are still under the older data key {kid} "
                f"({', '.join(where)})",
                "run `pengaduan keys rotate`; then the older key can leave DATA_KEY",
                blocks=False,
            )
        )
    if plain:
        found.append(
            Problem(
                "personal data is stored unencrypted ("
                + ", ".join(f"{t} {n}" for t, n in sorted(plain.items()))
                + "): the service cannot read it",
                "`pengaduan db upgrade` with DATA_KEY set encrypts it",
            )
        )
    return found


def _personal_data(s: Settings) -> list[Problem]:
    keys, found = _data_keys(s)
    return found + _keys_in_database(s, keys)


def problems(settings: Settings) -> list[Problem]:
    """Everything that stands between this deployment and a pilot with real reports."""
    return (
        _settings(settings)
        + _personal_data(settings)
        + _providers(settings)
        + _phones(settings)
        + _smtp(settings)
        + _reachable(settings)
    )


@click.command("doctor")
def command() -> None:
    """Check this deployment's settings for a pilot; exit 1 when something blocks it."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        click.echo(f"✗ {exc}")
        raise SystemExit(1) from exc
    found = problems(settings)
    for p in found:
        click.echo(f"{'✗' if p.blocks else '!'} {p.what}\n    fix: {p.fix}")
    blocking = sum(p.blocks for p in found)
    if not found:
        click.echo("✓ ready for a pilot")
    elif blocking:
        click.echo(f"{blocking} problem(s) block a pilot")
        raise SystemExit(1)
    else:
        click.echo("nothing blocks a pilot")
