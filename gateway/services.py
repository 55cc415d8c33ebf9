"""The long-lived things a process needs, built once from settings: database and Redis."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from casebridge.db import Database
from casebridge.settings import Settings


def connect_redis(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)


@dataclass
class Services:
    settings: Settings
    db: Database
    redis: Redis

    @classmethod
    def build(cls, settings: Settings) -> Services:
        if settings.redis_url is None:
            raise ValueError("settings.redis_url must be set (serve starts an embedded Redis)")
        return cls(
            settings,
            Database(settings.database_url, settings.data_keys),
            connect_redis(settings.redis_url),
        )

    def redis_ok(self) -> bool:
        try:
            return bool(self.redis.ping())
        except Exception:
            return False

    def close(self) -> None:
        self.db.dispose()
        self.redis.connection_pool.disconnect()
