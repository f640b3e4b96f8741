"""A Redis of the test's own (`redis-server` on a free port, nothing saved), to stop and start
again without touching the machine's shared one; and the portal's Celery app pointed at it."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from kombu import pools

from fanjiaxiang.celery import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self) -> None:
        if not shutil.which("redis-server"):
            pytest.skip("needs redis-server (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the installed server, fixed arguments
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _reset_pools() -> None:
    """The app keeps its broker connections (and producers) in pools made on first use, and
    kombu keeps those pools per connection URL: all are closed and forgotten, as after a fork,
    so the next use opens new ones on the broker the app points at now."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Point the portal's Celery app at `url` (the same transport options as production)."""
    from django.conf import settings

    keys = ("broker_url", "broker_transport", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    options = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}
    if settings.REDIS_URL:
        options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    _reset_pools()
    app.conf.update(broker_url=url, broker_transport=None, broker_transport_options=options)
    try:
        yield app
    finally:
        _reset_pools()
        app.conf.update(saved)
