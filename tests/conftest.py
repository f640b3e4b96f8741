"""Shared fixtures: every role, in two counties (越秀区 owns, 天河区 is the outsider), so each
view gets an owner test, an outsider test (404) and a read-only test (403)."""

import os
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from accounts.models import Role
from fanjiaxiang.celery import app
from tests.factories import (
    HostUnitFactory,
    PostFactory,
    UniversityFactory,
    UserFactory,
    region,
    staff,
)
from tests.redis_server import _reset_pools

# The most xdist workers `-n auto` starts: each takes a Redis database of its own, counted
# down from REDIS_URL's, and PostgreSQL a test database of its own (pytest-django's _gwN).
MAX_WORKERS = 4


def pytest_xdist_auto_num_workers(config):
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def worker_redis_url(url: str, worker: str) -> str:
    """REDIS_URL for xdist worker `worker` (gw0, gw1, ...): the same server, database
    15, 14, ... for gw0, gw1, ... when REDIS_URL names 15 (CI's), so no worker's Celery worker
    takes another's tasks (the queues live in the database; kombu prefixes broadcasts with it).
    Below database 0 it counts up instead (0, 1, 2, ... from 0), still one each."""
    parts = urlsplit(url)
    base, index = int(parts.path.strip("/") or 0), int(worker.removeprefix("gw"))
    database = base - index if index <= base else base + index
    return urlunsplit(parts._replace(path=f"/{database}"))


GIVEN_REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_per_worker() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and GIVEN_REDIS_URL):
        return
    url = worker_redis_url(GIVEN_REDIS_URL, worker)
    # Settings were read before any conftest: change them, the Celery app's copy, and the
    # environment that worker processes started by tests (tests/schedule/test_worker.py) get.
    os.environ["REDIS_URL"] = url
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    app.conf.update(broker_url=url, result_backend=url)


def pytest_configure(config):
    _redis_per_worker()
    # Real hashing costs ~0.2 s a user; the suite creates hundreds. Hashing itself is Django's.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Staff two-factor sign-in is off for the suite, whose tests sign staff in by password or
    # force_login; the tests of two-factor sign-in (tests/accounts/test_two_factor.py, the
    # half-signed-in walk of the access matrix) turn it on with the `settings` fixture and sign
    # in with a verified device (tests/factories.py verified_login).
    settings.STAFF_TWO_FACTOR = False
    # Likewise the staff idle lock: many tests sign in, then move the clock on by days or
    # months; tests/accounts/test_idle_lock.py and the browser's idle check turn it on.
    settings.STAFF_IDLE_MINUTES = 0
    # Uploads live in the database (filestore); a folder of this run keeps the old location
    # (copied in by a migration) away from the developer's var/.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="fjx-media-")


# Slow suites that test no database difference: CI (.ci/run) runs them once, on its PostgreSQL
# pass, so both passes fit its time (ONCE_ON_POSTGRES=1 on the SQLite pass). Anywhere else
# they run on whatever database the suite runs on.
RUN_ONCE = (
    "tests/security/test_access_matrix.py",
    "tests/browser/",
    "tests/demo/",
    "tests/api/test_schemathesis.py",
)


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    skip_once = pytest.mark.skip(reason="CI runs this suite once, on the PostgreSQL pass")
    run_once_elsewhere = os.environ.get("ONCE_ON_POSTGRES") and not on_postgres
    for item in items:
        if run_once_elsewhere and item.nodeid.startswith(RUN_ONCE):
            item.add_marker(skip_once)
        elif "postgres" in item.keywords and not on_postgres:
            if os.environ.get("REQUIRE_POSTGRES"):
                continue  # let it fail loudly instead
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _public_pages_uncached():
    """Each test starts with the public pages' cache empty (positions/public_cache.py): rows
    made by factories bypass the services that make it stale."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def gd(db):
    """Guangdong's places used across the suite."""
    return SimpleNamespace(
        province=region("440000"),
        guangzhou=region("440100"),
        yuexiu=region("440104"),
        tianhe=region("440106"),
        meizhou=region("441400"),
        meixian=region("441403"),
    )


@pytest.fixture
def world(gd):
    """Two counties with their staff, host units and posts, and every other role."""
    unit_yx = HostUnitFactory(county=gd.yuexiu, name="越秀区图书馆")
    unit_th = HostUnitFactory(county=gd.tianhe, name="天河区图书馆")
    university = UniversityFactory(name="中山大学", code="4144010558")
    return SimpleNamespace(
        **vars(gd),
        unit_yx=unit_yx,
        unit_th=unit_th,
        university=university,
        post_yx=PostFactory(host_unit=unit_yx, title="越秀图书馆阅读推广员"),
        post_th=PostFactory(host_unit=unit_th, title="天河图书馆阅读推广员"),
        draft_yx=PostFactory(
            host_unit=unit_yx, title="越秀草稿岗位", status="draft", published_at=None
        ),
        province_staff=staff(Role.PROVINCE, region=gd.province, username="gd_province"),
        gz_staff=staff(Role.CITY, region=gd.guangzhou, username="gz_city"),
        mz_staff=staff(Role.CITY, region=gd.meizhou, username="mz_city"),
        yx_staff=staff(Role.COUNTY, region=gd.yuexiu, username="yuexiu"),
        th_staff=staff(Role.COUNTY, region=gd.tianhe, username="tianhe"),
        yx_host=staff(Role.HOST, host_unit=unit_yx, username="yuexiu_host"),
        th_host=staff(Role.HOST, host_unit=unit_th, username="tianhe_host"),
        uni_staff=staff(Role.UNIVERSITY, university=university, username="sysu"),
        student=UserFactory(role=Role.STUDENT, username="student"),
    )


@pytest.fixture(scope="session")
def celery_broker():
    """The broker the test workers use. Embedded: one private folder for the whole session, so a running `make run` worker cannot
    take the tests' messages; with REDIS_URL: the real Redis."""
    if not settings.REDIS_URL:
        import tempfile
        from pathlib import Path

        root = Path(tempfile.mkdtemp(prefix="fjx-celery-"))
        for name in ("queue", "results", "control"):
            (root / name).mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(root / "queue"),
            "data_folder_out": str(root / "queue"),
            "store_processed": False,
            "control_folder": str(root / "control"),
        }
        app.conf.result_backend = f"file://{root / 'results'}"
        # A test that sent a task before this (its order differs under xdist) left the app
        # connections, producers and a result backend on var/celery: forget them.
        _reset_pools()
        vars(app._local).pop("backend", None)
    return app


@pytest.fixture
def worker(celery_broker):
    """A real Celery worker thread for one test."""
    celery_broker.control.purge()
    with start_worker(celery_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield celery_broker
