"""Settings from the environment and an optional `.env` file (design.md, "Settings")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from dotenv import dotenv_values

from . import private_files
from .datakeys import KEY_FILE as DATA_KEY_FILE
from .datakeys import DataKeyError, DataKeys

DATABASE_FILE = "pengaduan.db"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
SMS_PROVIDERS = ("simulator", "africastalking", "twilio", "android")


class SettingsError(ValueError):
    """A setting has a value the service cannot work with."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything configurable; built once per process with `Settings.load()`."""

    instance_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    public_base_url: str = "http://127.0.0.1:5000"
    sms_provider: str = "simulator"
    at_username: str | None = None
    at_api_key: str | None = None
    at_sender_id: str | None = None
    at_api_url: str = "https://api.africastalking.com/version1"
    at_voice_url: str = "https://voice.africastalking.com"
    at_webhook_token: str | None = None
    at_voice_number: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    android_gateway_url: str | None = None
    android_gateway_login: str | None = None
    android_gateway_password: str | None = None
    android_webhook_key: str | None = None
    phone_silent_minutes: int = 15
    """A gateway phone not heard from for longer is down (design.md "Gateway phones")."""
    ussd_service_code: str = "*123#"
    orgs_file: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "pengaduan@localhost"
    simulator_enabled: bool = False
    simulator_phone_prefix: str = "+62899"
    """The training number range the simulator may act as and read."""
    allow_unsigned_webhooks: bool = False
    """Accept a provider's webhooks while its secret is unset (serve on embedded defaults on
    a loopback address sets it by itself); otherwise they answer 403."""
    demo: bool = False
    missed_call_callback: bool = False
    store_recordings: bool = False
    max_body_bytes: int = 64 * 1024
    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_template_status: str | None = None
    """The approved neutral template sent outside the messaging window ({{1}}: the reference)."""
    whatsapp_session_hours: int = 24
    """The free-form messaging window after the person's last message."""
    media_path: str | None = None
    """Where attachments are stored; default INSTANCE_PATH/media."""
    max_media_bytes: int = 16 * 1024 * 1024
    data_key: str = ""
    """DATA_KEY: the keys personal data is encrypted under, the current first (commas)."""
    data_key_file: Path | None = None
    """On embedded defaults, the instance's generated keyring (`with_secret` sets it)."""
    retention_days: int = 730
    """Days after a case is closed that its personal data is kept."""
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(
        cls,
        env: Mapping[str, str] | None = None,
        instance_dir: str | Path | None = None,
        **overrides: object,
    ) -> Settings:
        """Read settings: explicit overrides > environment > `./.env` > defaults."""
        merged: dict[str, str] = {}
        if env is None:
            dotenv_file = Path.cwd() / ".env"
            if dotenv_file.is_file():
                merged.update(
                    {k: v for k, v in dotenv_values(dotenv_file).items() if v is not None}
                )
            merged.update(os.environ)
        else:
            merged.update(env)

        def get(name: str) -> str | None:
            value = merged.get(name)
            return value if value not in (None, "") else None

        inst = Path(instance_dir or get("INSTANCE_PATH") or Path.cwd() / "instance").resolve()
        values: dict[str, object] = {
            "instance_dir": inst,
            "database_url": get("DATABASE_URL") or f"sqlite:///{inst / DATABASE_FILE}",
            "redis_url": get("REDIS_URL"),
            "secret_key": get("SECRET_KEY") or "",
            "data_key": get("DATA_KEY") or "",
            "extra": dict(merged),
        }
        for f in fields(cls):
            if f.name in values or f.name == "extra":
                continue
            raw = get(f.name.upper())
            if raw is None:
                continue
            if f.type in ("bool", bool):
                values[f.name] = _bool(raw)
            elif f.type in ("int", int):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise SettingsError(
                        f"{f.name.upper()} must be a whole number, not {raw!r}"
                    ) from exc
            else:
                values[f.name] = raw
        values.update(overrides)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.retention_days < 1:
            raise SettingsError(f"RETENTION_DAYS must be at least 1, not {self.retention_days}")
        if self.sms_provider not in SMS_PROVIDERS:
            raise SettingsError(
                f"SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}, not {self.sms_provider!r}"
            )

    @property
    def media_dir(self) -> Path:
        """The folder attachments are stored in (MEDIA_PATH, else INSTANCE_PATH/media)."""
        return Path(self.media_path).resolve() if self.media_path else self.instance_dir / "media"

    @property
    def embedded(self) -> bool:
        """On embedded defaults: the SQLite file in the instance folder and no REDIS_URL."""
        default_db = f"sqlite:///{self.instance_dir / DATABASE_FILE}"
        return self.redis_url is None and self.database_url == default_db

    def missing_instance_files(self, secret: bool = True) -> list[Path]:
        """What this service keeps in its instance folder (the SQLite database, the generated
        secret key unless `secret` is False) and is not there yet: a new instance would be
        created."""
        missing = []
        key_file = self.instance_dir / SECRET_KEY_FILE
        if secret and not self.secret_key and self.embedded and not key_file.exists():
            missing.append(key_file)
        sqlite = f"sqlite:///{self.instance_dir}/"
        if self.database_url.startswith(sqlite):
            db_file = Path(self.database_url.removeprefix("sqlite:///"))
            if not db_file.exists():
                missing.append(db_file)
        return missing

    @cached_property
    def data_keys(self) -> DataKeys:
        """The keyring personal data is encrypted under (`with_secret` makes sure of one)."""
        try:
            if self.data_key:
                return DataKeys.from_text(self.data_key)
            if self.data_key_file is not None:
                return DataKeys.from_file(self.data_key_file)
        except (DataKeyError, private_files.PrivateFileError) as exc:
            raise SettingsError(str(exc)) from exc
        raise SettingsError(
            "DATA_KEY is required when DATABASE_URL or REDIS_URL is set: it encrypts the "
            "reporters' personal data, and every process must share it. Generate one with "
            "`python3 -c 'import base64, secrets; "
            "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'`"
            f"{self._instance_hint(DATA_KEY_FILE)}."
        )

    def _instance_hint(self, name: str) -> str:
        key_file = self.instance_dir / name
        if key_file.is_file():
            return f" (to keep the key this instance generated, use the contents of {key_file})"
        return ""

    def with_secret(self) -> Settings:
        """Return settings whose secret key and data key are set. On embedded defaults they
        are generated into the instance folder (once, however many processes start at the
        same moment); anywhere else SECRET_KEY and DATA_KEY are required."""
        settings = self._with_secret_key()
        if not settings.data_key and settings.embedded:
            settings = _replace(settings, data_key_file=settings.instance_dir / DATA_KEY_FILE)
        settings.data_keys  # noqa: B018 - fails now, with its explanation, when it is unusable
        return settings

    def _with_secret_key(self) -> Settings:
        if self.secret_key:
            return self
        key_file = self.instance_dir / SECRET_KEY_FILE
        if not self.embedded:
            hint = self._instance_hint(SECRET_KEY_FILE)
            raise SettingsError(
                "SECRET_KEY is required when DATABASE_URL or REDIS_URL is set: it signs "
                "sessions and keys the PIN hashes, and every process must share it. Set it to "
                "a long random value, e.g. `python -c 'import secrets; "
                f"print(secrets.token_urlsafe(48))'`{hint}."
            )
        try:
            key = private_files.read_or_create_key(key_file)
        except private_files.PrivateFileError as exc:
            raise SettingsError(str(exc)) from exc
        return _replace(self, secret_key=key)


def _replace(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)
