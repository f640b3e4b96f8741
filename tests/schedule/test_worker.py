"""The daily calendar task on real Celery workers: delivered twice, or redelivered after the
worker running it was killed half-way, every reminder still goes out exactly once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Notice
from schedule.enforcement import enforce_calendar as enforce_now
from schedule.models import Dispatch, Milestone
from schedule.tasks import enforce_calendar
from tests.schedule.support import day, summer_post, texts

REMINDER = "提醒：“发布暑假岗位”将于 05月31日 截止（还有 7 天），请按时完成。"


def test_the_calendar_task_is_on_the_beat_schedule():
    assert settings.CELERY_BEAT_SCHEDULE["enforce-calendar"]["task"] == enforce_calendar.name


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_task_delivered_twice_for_the_same_day_sends_each_reminder_once(cal, worker):
    summer_post(cal, "yx")

    deliveries = [
        enforce_calendar.apply_async(args=["2030-05-24"], ignore_result=False) for _ in range(2)
    ]
    results = [delivery.get(timeout=30) for delivery in deliveries]

    assert sorted(result.get("reminders", 0) for result in results) == [0, 3]
    for county_staff in (cal.th_staff, cal.hz_staff, cal.mx_staff):
        assert texts(county_staff) == [REMINDER]
    assert texts(cal.yx_staff) == []
    assert Dispatch.objects.filter(kind="remind_7").count() == 3


# A worker killed mid-run (PostgreSQL and Redis) -------------------------------------------------

VISIBILITY_TIMEOUT = 3  # seconds before Redis hands an unacknowledged task to another worker
RUN_DAY = day(3, 25)
# Four milestones a few days after RUN_DAY, in this order: each sends reminders that day.
DUES = {
    "plan": day(3, 26),
    "onboard": day(3, 28),
    "summer_posts": day(3, 30),
    "summer_match": day(4, 1),
}


def _database_url() -> str:
    """The test database (not the configured one), as the worker's DATABASE_URL."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    user = quote(db["USER"] or "", safe="")
    return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def _start_worker(log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        *("-A", "fanjiaxiang", "worker", "--pool=solo", "--concurrency=1", "-Q", "celery"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"),
        *("-n", f"calendar-{uuid.uuid4().hex[:8]}@%h"),
    ]
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - a fixed command line, no user input
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )


def _stop(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=5)


def _wait_until(condition, what: str, worker, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        exited = worker.poll() is not None
        if exited or time.monotonic() > deadline:
            reason = "the worker exited" if exited else f"timed out after {timeout:g} s"
            pytest.fail(f"{reason} waiting for {what}; worker log:\n{log.read_text()[-4000:]}")
        time.sleep(0.1)


def _lock_milestone(pk: int):
    """Another session holding the milestone's row, as a slow concurrent run would."""
    import psycopg

    db = connection.settings_dict
    holder = psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    holder.execute("SELECT id FROM schedule_milestone WHERE id = %s FOR UPDATE", [pk])
    return holder  # in an open transaction until rollback()


def _someone_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _dispatches(milestones: list[Milestone]) -> int:
    return Dispatch.objects.filter(unit__milestone__in=milestones).count()


@pytest.mark.postgres
@pytest.mark.celery
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_is_redelivered_and_every_reminder_goes_out_exactly_once(
    cal, celery_broker, tmp_path
):
    for code, due in DUES.items():
        Milestone.objects.filter(pk=cal.m[code].pk).update(due=due)
    milestones = [cal.m[code] for code in DUES]
    names = [m.get_code_display() for m in milestones]
    cities = [cal.gz_staff, cal.mz_staff]
    counties = [cal.yx_staff, cal.th_staff, cal.hz_staff, cal.mx_staff]
    # plan: 2 cities and 4 counties; the other three: the 4 counties each
    expected = {"first two": 6 + 4, "all": 6 + 4 * 3}
    log = tmp_path / "worker.log"
    celery_broker.control.purge()
    workers: list[subprocess.Popen] = []
    holder = _lock_milestone(milestones[2].pk)
    try:
        workers.append(_start_worker(log))
        _wait_until(lambda: "ready." in log.read_text(), "the worker to start", workers[0], log)
        delivery = enforce_calendar.apply_async(args=[RUN_DAY.isoformat()], ignore_result=False)
        _wait_until(
            lambda: (
                _dispatches(milestones[:2]) == expected["first two"]
                and _someone_waits_for_a_row_lock()
            ),
            "the first two milestones to commit and the third to block",
            workers[0],
            log,
        )
        _stop(workers[0])  # SIGKILL: no chance to acknowledge or clean up
        assert _dispatches(milestones[2:]) == 0
        assert [len(texts(user)) for user in counties] == [2, 2, 2, 2]
        holder.rollback()
        holder.close()
        time.sleep(VISIBILITY_TIMEOUT + 1)  # a new worker only restores tasks older than that

        workers.append(_start_worker(log))
        _wait_until(
            lambda: _dispatches(milestones) == expected["all"],
            "the redelivered run",
            workers[1],
            log,
        )
        delivery.get(timeout=30)  # finished, and acknowledged at last
    finally:
        holder.close()
        for worker in workers:
            _stop(worker, signal.SIGTERM)

    for user in counties:
        assert sorted(text.split("“")[1].split("”")[0] for text in texts(user)) == sorted(names)
    for user in cities:
        assert texts(user) == ["提醒：“制定实施方案”将于 03月26日 截止（还有 1 天），请按时完成。"]
    notices = Notice.objects.count()
    again = enforce_now(day=RUN_DAY)
    assert again["reminders"] == 0
    assert Notice.objects.count() == notices
    assert Dispatch.objects.count() == expected["all"]
