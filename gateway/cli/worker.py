"""`pengaduan worker [--burst]`: an RQ worker for all queues on the configured Redis."""

from __future__ import annotations

import threading

import click

from casebridge.settings import Settings, SettingsError
from workers import forwarding, media, retention, runtime, sla
from workers.runner import Ticker, keep_working, make_worker

from ..providers import android
from ..providers.registry import build_senders, media_fetchers, voice_lines
from ..services import Services
from ..sms import jobs as sms_jobs
from .common import load_settings


def configure_runtime(services: Services) -> None:
    """Hand the workers what they need in this process: database, Redis, senders; a new case
    is forwarded to its organisation; every tick sweeps forwards and inbound SMS and checks
    the deadlines; once a day retention removes personal data past its time."""
    runtime.configure(
        runtime.Runtime(
            settings=services.settings,
            db=services.db,
            redis=services.redis,
            senders=android.with_phones(services, build_senders(services.settings)),
            voice=voice_lines(),
            media=media_fetchers(services.settings),
            after_case=(forwarding.after_case,),
            periodic=(
                forwarding.sweep,
                sms_jobs.sweep,
                media.sweep,
                sla.periodic,
                android.failover_sweep,
                retention.periodic,
            ),
        )
    )


def run_worker(settings: Settings, burst: bool) -> None:
    services = Services.build(settings)
    configure_runtime(services)
    ticker = None if burst else Ticker(services.redis)
    if ticker:
        ticker.start()
    try:
        if burst:
            make_worker(services.redis).work(burst=True, logging_level="INFO")
        else:
            keep_working(services.redis, threading.Event())
    finally:
        if ticker:
            ticker.stop()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
def command(burst: bool) -> None:
    """Run background jobs (intake, messages, forwarding, sweeps) from the configured Redis."""
    try:
        redis_url = Settings.load().redis_url
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    if redis_url is None:
        raise click.ClickException(
            "REDIS_URL is not set. `pengaduan serve` runs its own worker with an embedded Redis; "
            "separate workers need a shared Redis (REDIS_URL=redis://host:6379/0)."
        )
    settings = load_settings()
    run_worker(settings, burst)
