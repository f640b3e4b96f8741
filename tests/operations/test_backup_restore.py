"""A backup restores: a seeded database dumped with pg_dump and restored into a new one shows
the same counts, the same stored files and certificates that verify (docs/operations.md "Backups and
restore")."""

import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.operations.pgcluster import copy_test_database, server_url
from tests.process import PRODUCTION, manage

pytestmark = pytest.mark.postgres

# The checkout's settings, but its own keys (ID numbers are encrypted with them) and DEBUG on
# (pages render without collectstatic).
ENV = {**PRODUCTION, "DEBUG": "1", "LOCAL_ENV_FILE": "/nonexistent/local.env"}


def _psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        [shutil.which("psql"), "--quiet", "--no-psqlrc", "--set=ON_ERROR_STOP=1", server_url("postgres"),
         "--command", sql],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def backup_databases():
    """Two databases of this run's own name on the configured server, dropped afterwards."""
    base = settings.DATABASES["default"]["NAME"]
    names = (f"{base}_backup_source", f"{base}_backup_copy")
    for name in names:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{names[0]}"')
    yield tuple(server_url(name) for name in names)
    for name in names:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check(source: str, copy: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [settings.BASE_DIR / "scripts" / "backup_restore_check.sh", source, copy],
        cwd=settings.BASE_DIR, env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, **ENV},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


SEED = "from django.core.management import call_command as c; c('load_regions'); c('seed_demo')"


def test_a_dump_of_the_seeded_portal_restores_with_the_same_figures_files_and_certificates(
    db, backup_databases, tmp_path
):
    source, copy = backup_databases
    copy_test_database(source, tmp_path)  # migrated, quicker than `migrate` again
    seeded = manage("shell", "-c", SEED, **ENV, DATABASE_URL=source)
    assert seeded.returncode == 0, seeded.stderr

    result = _check(source, copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restore OK" in result.stdout

    # The script compared the two; what it printed says the copy holds something worth having.
    counts = dict(re.findall(r"(\w+) (\d+)", result.stdout.split("counts:")[1].splitlines()[0]))
    assert int(counts["students"]) >= 40 and int(counts["placements"]) > 0
    assert int(counts["stored_files"]) >= 5  # the demo's plans and case photos
    assert counts["id_numbers_readable"] == counts["id_numbers"]  # the keys read them
    certificates = counts["certificates"]
    assert int(certificates) > 0
    assert f"{certificates} of {certificates} in the copy" in result.stdout  # each verifies

    again = _check(source, copy)  # never restores over an existing database
    assert again.returncode != 0 and "already exists" in again.stderr
