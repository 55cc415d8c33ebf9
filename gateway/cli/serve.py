"""`pengaduan serve`: the whole service on one machine."""

from __future__ import annotations

import ipaddress
import logging
import signal
import threading
from dataclasses import replace

import click
from werkzeug.serving import make_server

from casebridge import directory
from casebridge.settings import Settings, SettingsError

from ..app import create_app
from ..embedded_redis import EmbeddedRedis
from ..services import Services
from .common import load_settings

log = logging.getLogger(__name__)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--with-worker/--no-worker",
    default=None,
    help="Run a worker in this process (default: only with the embedded Redis).",
)
@click.option("--demo", is_flag=True, help="Load the example organisations and open the simulator.")
def command(host: str, port: int, with_worker: bool | None, demo: bool) -> None:
    """Run the web app; with no REDIS_URL also an embedded Redis and an in-process worker."""
    settings = _demo_settings() if demo else load_settings(create_instance=True)
    if "PUBLIC_BASE_URL" not in settings.extra:  # links in voice XML point at this server
        settings = replace(settings, public_base_url=f"http://{host}:{port}")
    unsigned = _local_trial(settings, host) and not settings.allow_unsigned_webhooks
    if unsigned:
        settings = replace(settings, allow_unsigned_webhooks=True)
    embedded = None
    stopping = threading.Event()
    workers_running: tuple = ()

    def _terminate(signum, _frame):
        raise KeyboardInterrupt

    # Ctrl-C, kill and a closed terminal all stop cleanly, even when a script started us in
    # the background with SIGINT ignored.
    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, _terminate) for sig in stop_signals}
    try:
        if settings.redis_url is None:
            embedded = EmbeddedRedis(settings.instance_dir)
            settings = replace(settings, redis_url=embedded.start())
            if with_worker is None:
                with_worker = True
        services = Services.build(settings)
        app = create_app(services=services)
        from casebridge.migrate import upgrade

        if services.db.is_sqlite:
            upgrade(services.db.url, keys=services.db.keys)
        _load_directory(services, demo)
        if with_worker:
            workers_running = _start_worker(services, stopping)
        server = make_server(host, port, app, threaded=True)
        click.echo(f"Pengaduan Gateway on http://{host}:{server.port}  (Ctrl-C to stop)")
        click.echo(
            f"  database: {_safe_url(settings.database_url)}; "
            f"redis: {'embedded' if embedded else _safe_url(settings.redis_url)}; "
            f"worker: {'in this process' if with_worker else 'separate (pengaduan worker)'}"
        )
        if unsigned:
            click.echo(
                "  webhooks: accepted unsigned while a provider's secret is unset "
                "(embedded defaults on a loopback address: ALLOW_UNSIGNED_WEBHOOKS=true)"
            )
        if demo:
            click.echo(f"  demo: open http://{host}:{server.port}/simulator")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        for part in workers_running:
            part.stop()
        if embedded is not None:
            embedded.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        click.echo("stopped")


def _local_trial(settings: Settings, host: str) -> bool:
    """Embedded defaults (no REDIS_URL, no DATABASE_URL, or --demo) on a loopback address:
    only this machine can post to the webhooks."""
    embedded = settings.demo or (
        settings.redis_url is None and not settings.extra.get("DATABASE_URL")
    )
    if host == "localhost":
        return embedded
    try:
        return embedded and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _demo_settings():
    """Demo mode keeps its own data: a SQLite database, an embedded Redis and a secret key in
    `<instance>/demo/`, whatever DATABASE_URL and REDIS_URL say, so the example organisations
    and practice cases never mix with real reports."""
    try:
        real = Settings.load()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    folder = real.instance_dir / "demo"
    settings = replace(
        real,
        instance_dir=folder,
        database_url=f"sqlite:///{folder / 'pengaduan.db'}",
        redis_url=None,
        secret_key="",
        data_key="",
        data_key_file=None,
        demo=True,
        simulator_enabled=True,
    ).with_secret()
    click.echo(f"  demo: its own data in {folder} (real data untouched)")
    return settings


def _load_directory(services: Services, demo: bool) -> None:
    path = services.settings.orgs_file
    if demo and not path:
        from importlib.resources import files

        path = str(files("gateway") / "demo" / "organisations.yaml")
    if not path:
        return
    try:
        entries = directory.parse_file(path)
    except directory.DirectoryError as exc:
        raise click.ClickException(f"ORGS_FILE {path}: " + "; ".join(exc.problems)) from exc
    with services.db.session() as session:
        result = directory.apply(session, entries)
    click.echo(f"  organisations: {len(entries)} loaded from {path} ({len(result.created)} new)")


def _start_worker(services: Services, stopping: threading.Event):
    from workers.runner import Ticker, keep_working, make_worker

    from .worker import configure_runtime

    configure_runtime(services)
    ticker = Ticker(services.redis)
    ticker.start()
    stop = _WorkerStop(stopping)

    def _make(redis):
        stop.worker = make_worker(redis)
        return stop.worker

    thread = threading.Thread(
        target=keep_working,
        args=(services.redis, stopping, "WARNING", _make),
        name="pengaduan-worker",
        daemon=True,
    )
    thread.start()
    return ticker, stop


class _WorkerStop:
    """Ask the in-process worker to stop, quietly: Redis is about to go away."""

    def __init__(self, stopping: threading.Event):
        self.stopping = stopping
        self.worker = None

    def stop(self) -> None:
        logging.getLogger("rq.worker").setLevel(logging.CRITICAL)
        self.stopping.set()
        if self.worker is not None:
            self.worker._stop_requested = True


def _safe_url(url: str | None) -> str:
    if not url:
        return "-"
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
