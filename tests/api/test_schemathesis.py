"""schemathesis against a running portal (issue 20): the public operations and a university
token's, from /api/schema/, bounded in examples and time. No server error; every response's
status, content type and body match the schema.

The portal runs as its own process (runserver on a free loopback port) over this test's
committed data, so it needs a database both processes share: PostgreSQL. CI runs it once, on
its PostgreSQL pass (tests/conftest.py RUN_ONCE).
"""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from api import services
from tests.factories import PostFactory, StudentFactory
from tests.redis_server import free_port
from tests.students.test_credits import placement

pytestmark = pytest.mark.postgres

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _serve(port: int) -> subprocess.Popen:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env |= {
        "DEBUG": "1",
        # The same keys as this process, which wrote the (encrypted) personal data.
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_SALTS": ",".join(settings.SALT_KEY),
        "DATABASE_URL": _database_url(),
        "LOCAL_ENV_FILE": "/nonexistent",
        "CONN_MAX_AGE": "0",
        # Fuzzing is many calls a minute from one address: the limits are tested elsewhere.
        "API_PUBLIC_CALLS_PER_MINUTE": "100000",
        "API_TOKEN_CALLS_PER_MINUTE": "100000",
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(url: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise AssertionError(server.stdout.read() if server.stdout else "server exited")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(world, tmp_path):
    # Data both processes see: 中山大学's students with completed and open placements.
    for n in range(3):
        student = StudentFactory(university=world.university, name=f"接口生{n}")
        done = placement(student, PostFactory(host_unit=world.unit_yx), hours=20 + n, rating="good")
        assert done.pk
    _token, secret = services.token_create(
        actor=world.uni_staff,
        scope_key=f"university:{world.university.code}",
        name="schemathesis",
        days=30,
    )
    port = free_port()
    server = _serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/api/schema/?format=json", server)
        run = subprocess.run(  # noqa: S603 - the dev dependency's own CLI
            [
                os.path.join(os.path.dirname(sys.executable), "schemathesis"),
                "run",
                f"{base}/api/schema/?format=json",
                "--url",
                base,
                "--checks",
                CHECKS,
                "--header",
                f"Authorization: Bearer {secret}",
                "--include-path-regex",
                r"^/api/v1/(posts|certificates|university)/",
                "--max-examples",
                "25",
                "--phases",
                "examples,fuzzing",
                "--request-timeout",
                "10",
                "--generation-deterministic",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=100,
            cwd=tmp_path,  # its cache of examples stays out of the checkout
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
