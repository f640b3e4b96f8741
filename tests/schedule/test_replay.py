"""The demo's programme year replayed with `enforce_calendar --date`, day by day (issue 23).

Running the command twice for the same day must change nothing, on every day of the year; and
what a replay writes for a day must be what the nightly beat wrote on that day, timestamps
included. The demo is seeded on 2030-11-27, so its year is 2030 on the template calendar; the
province has locked its selection milestones (截止后锁定), so the winter selection closes on
2031-01-01 with applications still open in three demo counties.
"""

import datetime
import io
import json
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction

from accounts.models import AuditEvent, Notice
from schedule import tasks
from schedule.enforcement import REMINDER_DAYS
from schedule.models import CountyQuota, Dispatch, Milestone, ProgrammeYear, UnitMilestone
from students import services as students
from students.models import Application
from tests.schedule.support import day, on, standing, student_of, summer_post, texts

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDED_ON = datetime.datetime(2030, 11, 27, 10, tzinfo=SHANGHAI)
CLOSED = "applications closed at a selection deadline"
# The demo counties selecting for the winter (虎门镇's winter posts are still drafts).
SELECTING = ("440104", "440106", "441403")


@pytest.fixture(scope="class")
def demo_year(django_db_setup, django_db_blocker) -> Iterator[ProgrammeYear]:
    """The demo seeded once for the tests of a class, in a transaction rolled back after them;
    each test runs in a savepoint of it (its `db`), so none sees what another wrote."""
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"refusing to seed the demo in {name}"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_regions", stdout=io.StringIO())
        with time_machine.travel(SEEDED_ON, tick=False):
            call_command("seed_demo", stdout=io.StringIO())
        programme_year = ProgrammeYear.objects.get(province__code="440000", year=2030)
        Milestone.objects.filter(programme_year=programme_year, code__endswith="_match").update(
            hard_lock=True
        )
        yield programme_year
        transaction.set_rollback(True)


def days_of(programme_year: ProgrammeYear) -> list[datetime.date]:
    """Every day on which the calendar can act for the year: from the first seven-day reminder
    to the day after the last milestone."""
    dues = list(programme_year.milestones.values_list("due", flat=True))
    first = min(dues) - datetime.timedelta(days=REMINDER_DAYS[0])
    last = max(dues) + datetime.timedelta(days=1)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def at(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SHANGHAI)


def command(date: datetime.date, clock: datetime.datetime) -> dict[str, int]:
    """`manage.py enforce_calendar --date DATE` typed when the wall clock says `clock`."""
    out = io.StringIO()
    with time_machine.travel(clock, tick=False):
        call_command("enforce_calendar", "--date", date.isoformat(), stdout=out)
    lines = [line.strip().rsplit(": ", 1) for line in out.getvalue().splitlines()[1:]]
    return {label: int(n) for label, n in lines}


def beat(date: datetime.date) -> None:
    """The daily task as the beat runs it, at 00:20 on `date`, without a date of its own."""
    with time_machine.travel(at(date, 0, 20), tick=False):
        tasks.enforce_calendar()


def snapshot() -> dict[str, Counter]:
    """Everything enforce_calendar writes, keyed by what a row is rather than by its id (ids of
    rows written in a rolled-back savepoint are not reused on PostgreSQL). Notices and audit
    events leave out their created_at: accounts' notify_many and audit_record_many stamp the
    wall clock (auto_now_add) and take no time from their caller."""
    return {
        "units": Counter(
            UnitMilestone.objects.values_list(
                "milestone__code",
                "region__code",
                "status",
                "done_at",
                "overdue_since",
                "extended_to",
                "updated_at",
            )
        ),
        "dispatches": Counter(
            Dispatch.objects.values_list(
                "unit__milestone__code", "unit__region__code", "kind", "due", "created_at"
            )
        ),
        "quotas": Counter(
            CountyQuota.objects.values_list(
                "region__code",
                "quota",
                "reported",
                "projected",
                "at_risk",
                "at_risk_since",
                "shortfall",
                "finalised_on",
                "updated_at",
            )
        ),
        "applications": Counter(Application.objects.values_list("pk", "status", "updated_at")),
        "notices": Counter(Notice.objects.values_list("user__username", "text", "url")),
        "audit": Counter(
            (action, target_type, target_id, region, json.dumps(data, sort_keys=True))
            for action, target_type, target_id, region, data in AuditEvent.objects.values_list(
                "action", "target_type", "target_id", "region__code", "data"
            )
        ),
    }


WRITTEN = (UnitMilestone, Dispatch, CountyQuota, Application, Notice, AuditEvent)


def tables() -> dict[str, dict]:
    """Every column of every row of the tables enforce_calendar writes, as stored, by id."""
    found = {}
    with connection.cursor() as cursor:
        for model in WRITTEN:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's own table name
            found[model._meta.db_table] = {row[0]: row for row in cursor.fetchall()}
    return found


def rewritten(before: dict[str, dict], after: dict[str, dict]) -> dict[str, list]:
    """Per table, the rows added, removed or changed (a few of each, for the failure message)."""
    found = {}
    for table, rows in before.items():
        ids = sorted(set(rows) ^ set(after[table]))
        ids += sorted(pk for pk in set(rows) & set(after[table]) if rows[pk] != after[table][pk])
        if ids:
            found[table] = [(rows.get(pk), after[table].get(pk)) for pk in ids[:5]]
    return found


def changes(before: dict[str, Counter], after: dict[str, Counter]) -> dict[str, dict]:
    """Per table, the rows only one side has (a changed row shows as one gone and one new)."""
    found = {}
    for table in before:
        gone, new = before[table] - after[table], after[table] - before[table]
        if gone or new:
            found[table] = {"gone": sorted(gone, key=repr)[:5], "new": sorted(new, key=repr)[:5]}
    return found


# Seeding the demo takes longer than most tests: the two tests on the demo year share one seed
# (and one xdist worker).
@pytest.mark.xdist_group("demo_year")
class TestTheDemoYear:
    # 748 runs of the command (two to three minutes): run once, on PostgreSQL, to keep CI's two
    # passes within their time; the ordering it proves is the same code on either database.
    @pytest.mark.postgres
    def test_running_each_day_of_the_demo_year_twice_changes_nothing_the_second_time(
        self, demo_year
    ):
        closed = 0
        for date in days_of(demo_year):
            # The beat just after midnight, then the same day typed by hand that morning.
            first = command(date, at(date, 0, 20))
            after_first = tables()
            second = command(date, at(date, 9, 30))

            assert rewritten(after_first, tables()) == {}, date
            assert set(second.values()) == {0}, date
            closed += first[CLOSED]

        assert closed > 0  # the winter selection was closed during the replay
        winter_match = UnitMilestone.objects.filter(
            milestone__programme_year=demo_year, milestone__code="winter_match"
        )
        selecting = winter_match.filter(region__code__in=SELECTING)
        # Closing the selection is what finished it: done on the first run after the deadline.
        assert set(selecting.values_list("status", "overdue_since")) == {("done", None)}

    def test_a_replay_with_a_date_writes_what_the_nightly_beat_wrote_on_that_day(self, demo_year):
        """Reminders, overdue flags, the winter selection closing and the quota finalised: the
        days are run once as the beat ran them and once replayed half a year later."""
        dues = demo_year.milestones.values_list("due", flat=True)
        offsets = (-7, -3, -1, 1)
        dates = sorted({due + datetime.timedelta(days=n) for due in dues for n in offsets})
        with transaction.atomic():
            for date in dates:
                beat(date)
            nightly = snapshot()
            transaction.set_rollback(True)

        for date in dates:
            command(date, at(datetime.date(2031, 6, 15), 15))

        assert changes(nightly, snapshot()) == {}
        closed_on = datetime.date(2031, 1, 1)  # the day after the winter selection deadline
        closing = Application.objects.filter(season__programme_year=demo_year, status="expired")
        assert at(closed_on, 0) in set(closing.values_list("updated_at", flat=True))
        units = UnitMilestone.objects.filter(
            milestone__programme_year=demo_year,
            milestone__code="winter_match",
            region__code__in=SELECTING,
        )
        assert {(u.status, u.done_at) for u in units} == {("done", at(closed_on, 0))}


def test_a_county_whose_selection_the_deadline_closes_is_done_on_that_run_not_overdue(cal):
    """One student placed, one still waiting at the summer selection deadline: the run of 7/1
    closes the waiting application, and the county is then finished, not late."""
    Milestone.objects.filter(pk=cal.m["summer_match"].pk).update(hard_lock=True)
    post = summer_post(cal, "th", headcount=5)
    with on(day(6, 20)):
        students.offer_confirm(
            actor=None,
            application=students.application_offer(
                actor=None,
                application=students.application_submit(
                    actor=None, student=student_of(cal.tianhe), post=post
                ),
            ),
        )
        waiting = students.application_submit(actor=None, student=student_of(cal.tianhe), post=post)

    first = command(day(7, 1), at(day(7, 1), 0, 20))
    tianhe = standing(cal.m["summer_match"], cal.tianhe)
    second = command(day(7, 1), at(day(7, 1), 9, 30))

    waiting.refresh_from_db()
    assert waiting.status == "rejected" and first[CLOSED] == 1
    assert (tianhe.status, tianhe.overdue_since, tianhe.done_at) == ("done", None, at(day(7, 1), 0))
    assert standing(cal.m["summer_match"], cal.tianhe).updated_at == tianhe.updated_at
    assert set(second.values()) == {0}
    [digest] = texts(cal.gz_staff, "暑假选拔录用")
    assert "越秀区" in digest and "天河区" not in digest
