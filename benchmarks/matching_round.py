"""A county's DB-backed matching round: 5,000 applications, run (preview) and publish (offers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/matching_round.py

Creates a throw-away test database: one county with 300 posts (1–5 seats), students with
three ranked choices each until there are 5,000 applications, host units ranking half of them.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from demo.scale import seed_scale  # noqa: E402
from positions.models import HostUnit, Post, Region  # noqa: E402
from positions.regions import regions_load  # noqa: E402
from schedule.services import programme_year_create  # noqa: E402
from students import rounds  # noqa: E402
from students.models import Application, Student, University  # noqa: E402


def populate(n_applications: int, n_posts: int) -> tuple[Region, object]:
    regions_load()
    province = Region.objects.get(code="440000")
    county = Region.objects.get(code="440104")
    University.objects.create(name="中山大学", code="4144010558", province=province)
    summer = programme_year_create(
        province=province, year=timezone.localdate().year + 1
    ).seasons.get(kind="summer")
    unit = HostUnit.objects.create(
        county=county,
        kind="government",
        name="单位",
        contact_name="陈",
        contact_phone="13800138000",
    )
    rng = random.Random(5)
    posts = Post.objects.bulk_create(
        Post(
            host_unit=unit,
            season=summer,
            title=f"岗位{n}",
            category="government",
            description="d",
            duties="d",
            headcount=rng.randint(1, 5),
            place="p",
            starts_on=summer.practice_starts,
            ends_on=summer.practice_starts + datetime.timedelta(days=20),
            hours="h",
            contact_name="c",
            contact_phone="13800138000",
            status="published",
            published_at=timezone.now(),
        )
        for n in range(n_posts)
    )
    n_students = -(-n_applications // 3)
    seed_scale(count=n_students, password="bench-only", students_only=True)  # noqa: S106
    Student.objects.update(hometown=county)
    applications = []
    for student in Student.objects.all():
        for rank, post in enumerate(rng.sample(posts, 3), start=1):
            if len(applications) < n_applications:
                ranked = rng.random() < 0.5
                applications.append(
                    Application(
                        student=student,
                        post=post,
                        season=summer,
                        rank=rank,
                        host_rank=rng.randint(1, 50) if ranked else None,
                        host_unsuitable=rng.random() < 0.05,
                    )
                )
    Application.objects.bulk_create(applications, batch_size=2000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return county, summer


def timed(label, action):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - start
    print(f"{label:<28}{elapsed:>8.2f} s{len(queries):>8} queries")
    return result, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=300)
    args = parser.parse_args(argv)
    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            county, season = populate(args.applications, args.posts)
            print(
                f"database: {connection.vendor}; {Application.objects.count():,} applications, "
                f"{args.posts} posts, {Student.objects.count():,} students"
            )
            matching_round, run_s = timed(
                "run (preview with reasons)",
                lambda: rounds.round_run(county=county, season=season, actor=None),
            )
            offers, publish_s = timed(
                "publish (offers + notices)",
                lambda: rounds.round_publish(matching_round=matching_round, actor=None),
            )
            print(f"offers sent: {offers}; end to end {run_s + publish_s:.2f} s")
    finally:
        teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
