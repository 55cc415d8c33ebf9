"""Two fake village-post phones, each on its own port with its own login and webhook key, and
their rows in `gateway_phones` (secrets encrypted as `pengaduan phones add` does)."""

from __future__ import annotations

from dataclasses import dataclass

from fakes.android_phone import FakeAndroidPhone, PhoneWebhooks
from sqlalchemy import select

from casebridge import secretbox
from casebridge.models import GatewayPhone, Organisation


@dataclass(frozen=True)
class Post:
    name: str
    login: str
    password: str
    key: str
    device: str


POSTS = {
    "a": Post("post-a", "sms-a", "pass-a-61f0", "key-a-3b7d", "deviceaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    "b": Post("post-b", "sms-b", "pass-b-92c4", "key-b-55e1", "devicebbbbbbbbbbbbbbbbbbbbbbbbbb"),
}


def start(post: Post) -> FakeAndroidPhone:
    return FakeAndroidPhone(post.login, post.password).start()


def add(services, post: Post, fake: FakeAndroidPhone, org: str | None = None, **fields) -> None:
    key = services.settings.secret_key
    with services.db.session() as s:
        org_id = s.scalar(select(Organisation.id).where(Organisation.code == org)) if org else None
        s.add(
            GatewayPhone(
                name=post.name,
                url=fake.url,
                login=post.login,
                password_secret=secretbox.encrypt(key, post.password),
                webhook_key_secret=secretbox.encrypt(key, post.key),
                organisation_id=org_id,
                timezone="Asia/Jakarta",
                **fields,
            )
        )


def webhooks(client, post: Post) -> PhoneWebhooks:
    return PhoneWebhooks(client, post.key, device_id=post.device, path=f"/sms/android/{post.name}")
