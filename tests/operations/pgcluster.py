"""PostgreSQL for the operations tests: a cluster of the test's own (temporary folder, free
port) for tests that stop or restart the database, so the machine's shared server is never
touched; and a copy of the migrated test database, quicker than migrating again.

initdb refuses to run as root, so as root the cluster belongs to `nobody`."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_url(database: str) -> str:
    """A database beside the test database, on the server the tests were given."""
    s = connection.settings_dict
    user, host, port = s["USER"] or "postgres", s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{database}"


def copy_test_database(target_url: str, folder: Path) -> None:
    """The test database as pytest-django migrated it (a test using it asks for `db`), dumped
    and restored into the empty database at target_url."""
    dump = folder / "test-database.dump"
    source = server_url(connection.settings_dict["NAME"])
    for command in (
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target_url}", str(dump)],
    ):
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603


def _bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    return Path(found[-1]).parent


class Cluster:
    def __init__(self, root: Path, port: int):
        self.root, self.port, self.bindir = root, port, _bindir()
        self.data = root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "nobody", "--", *command]
        subprocess.run(command, check=check, capture_output=True, timeout=60)  # noqa: S603

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                 "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast", check: bool = True) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=check)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    # Not pytest's tmp_path: its parents are private to root, and the cluster runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="fjx-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
    cluster = Cluster(root, free_port())
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop("immediate", check=False)  # it may be down already
    finally:
        shutil.rmtree(root, ignore_errors=True)
