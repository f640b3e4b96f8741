"""The nightly calendar run for the whole country: every province's programme year, every
county with two staff accounts, and a day on which reminders, overdue flags, a selection lock
(every province's selection milestones locked) and quota warnings all fall due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/programme_calendar.py

Creates a throw-away test database, loads the real regions (about 3,000 county-level units in 31
provinces), builds a programme year per province on the template and one staff account per
county and city, then times `enforce_calendar` for 1 July (summer selection closed, quota
warnings due, plans and onboarding long overdue) and 24 November (seven-day reminders for winter
posts) twice each: the second run of a day must change nothing. Prints seconds, queries and
what was done.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from accounts.models import Notice, Role, User  # noqa: E402
from positions.models import Region  # noqa: E402
from positions.regions import regions_load  # noqa: E402
from schedule.enforcement import enforce_calendar  # noqa: E402
from schedule.models import Dispatch, Milestone, UnitMilestone  # noqa: E402
from schedule.services import programme_year_create  # noqa: E402

YEAR = 2030


def populate() -> int:
    regions_load()
    for province in Region.objects.filter(level="province"):
        programme_year_create(province=province, year=YEAR)
    # The heavier night: every province has locked its selection (截止后锁定, off by default),
    # so 1 July also closes each county's selection.
    Milestone.objects.filter(code__endswith="_match").update(hard_lock=True)
    password = make_password("Bench-2030-pass")
    units = Region.objects.filter(level__in=("city", "county"))
    User.objects.bulk_create(
        [
            User(
                username=f"staff_{region.code}",
                name=f"{region.name}团委",
                role=Role.COUNTY if region.level == "county" else Role.CITY,
                region=region,
                password=password,
            )
            for region in units
        ],
        batch_size=2000,
    )
    return Region.objects.filter(level="county").count()


def timed(day: datetime.date) -> tuple[float, int, dict]:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        counts = enforce_calendar(day=day)
        elapsed = time.perf_counter() - started
    return elapsed, queries, dict(counts)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        counties = populate()
        print(f"{connection.vendor}: {counties} county-level units in 31 provinces")
        for day in (datetime.date(YEAR, 7, 1), datetime.date(YEAR, 11, 23)):
            for attempt in ("first", "second"):
                elapsed, queries, counts = timed(day)
                print(f"{day} {attempt} run: {elapsed:.2f} s, {queries} queries, {counts}")
        print(
            f"unit rows {UnitMilestone.objects.count()}, dispatches {Dispatch.objects.count()}, "
            f"notices {Notice.objects.count()}"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
