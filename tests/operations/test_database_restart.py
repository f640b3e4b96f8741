"""PostgreSQL restarts under a running portal: the next requests answer, no 5xx.

gunicorn (one sync worker, so one persistent connection, CONN_MAX_AGE=600) serves the portal
from a cluster of the test's own, which the test restarts. Without CONN_HEALTH_CHECKS the first
request after the restart met the dead connection and was a 500 (issue 24)."""

import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.operations.pgcluster import Cluster, copy_test_database, free_port, private_cluster
from tests.process import PRODUCTION

pytestmark = pytest.mark.postgres


def _client_connections(cluster: Cluster) -> int:
    result = subprocess.run(  # noqa: S603
        [str(cluster.bindir / "psql"), cluster.url(), "-Atc",
         "SELECT count(*) FROM pg_stat_activity WHERE datname = 'portal'"],
        check=True, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    return int(result.stdout)


@contextmanager
def _portal(cluster: Cluster, var: Path) -> Iterator[Callable[[str], int]]:
    (var / "celery" / "queue").mkdir(parents=True)
    port = free_port()
    env = {
        **PRODUCTION,
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",  # static files without collectstatic; errors are still 500s
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOCAL_ENV_FILE": str(var / "none.env"),
        "VAR_DIR": str(var),
        "DATABASE_URL": cluster.url("portal"),
        "CONN_MAX_AGE": "600",
    }
    log = var / "gunicorn.log"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "fanjiaxiang.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:  # noqa: S310
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield get
    finally:
        server.terminate()
        server.wait(timeout=10)


def _during_traffic(get: Callable[[str], int], restart: Callable[[], object]) -> list[int]:
    """Statuses of the requests sent after `restart` returned, while a client kept asking."""
    sent: list[tuple[float, int]] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            at = time.monotonic()
            try:
                sent.append((at, get("/posts/")))
            except OSError:  # a request in flight when the server went: not a page
                sent.append((at, 0))

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(0.5)
    restart()
    back = time.monotonic()
    time.sleep(1)
    stop.set()
    thread.join()
    return [status for at, status in sent if at > back]


def test_the_portal_answers_without_a_server_error_after_postgresql_restarts(db, tmp_path):
    with private_cluster() as cluster:
        cluster.run(
            "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "portal"
        )
        copy_test_database(cluster.url("portal"), tmp_path)
        with _portal(cluster, tmp_path / "var") as get:
            assert [get("/posts/") for _ in range(3)] == [200, 200, 200]
            assert _client_connections(cluster) == 1  # one persistent connection served them

            cluster.stop()
            cluster.start()  # nothing asked in between: the worker's connection is now dead
            assert [get("/posts/"), get("/verify/?code=ABCDEFGH2345"), get("/readyz")] == [
                200,
                200,
                200,
            ]

            cluster.stop()  # while it is down, the process is up but not ready
            assert (get("/healthz"), get("/readyz")) == (200, 503)
            cluster.start()
            assert (get("/readyz"), get("/posts/")) == (200, 200)

            # Restarted during traffic: requests sent once it is back all answer 200.
            sent_after_restart = _during_traffic(
                get, restart=lambda: (cluster.stop(), cluster.start())
            )
            assert sent_after_restart and set(sent_after_restart) == {200}
