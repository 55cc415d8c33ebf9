"""A live server (real HTTP on loopback) and a real headless Chromium driven by Playwright.

Chromium comes from Debian's `chromium` package (installed by .ci/run); no browser download."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.cli.worker import configure_runtime
from gateway.services import Services
from tests.conftest import make_settings
from workers.runner import make_worker

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def shots(request, tmp_path) -> Path:
    """Where the page tests save their screenshots."""
    chosen = request.config.getoption("--screenshots")
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(database_url, redis_url, tmp_path, services, orgs) -> Iterator[tuple[str, Services]]:
    """The app on a random loopback port, in simulator mode, with the example directory."""
    settings = make_settings(database_url, redis_url, tmp_path, simulator_enabled=True, demo=True)
    svc = Services.build(settings)
    configure_runtime(svc)
    server = make_server("127.0.0.1", 0, create_app(services=svc), threaded=True)
    stop = threading.Event()
    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=_work, args=(svc, stop), daemon=True),
    ]
    for thread in threads:
        thread.start()
    yield f"http://127.0.0.1:{server.port}", svc
    stop.set()
    server.shutdown()
    threads[1].join(timeout=10)
    svc.close()


def _work(services: Services, stop: threading.Event) -> None:
    """A worker beside the live server, as `pengaduan serve` runs one."""
    while not stop.is_set():
        make_worker(services.redis).work(burst=True, logging_level="WARNING")
        stop.wait(0.2)
