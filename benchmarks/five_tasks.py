"""The 五个一 (issue 17) at scale: one selector behind the matrix, the county page, the dashboard
panel and the scores, timed on a province with every county-level unit.

    createdb -h 127.0.0.1 -U postgres fanjiaxiang_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang_bench
    .venv/bin/python benchmarks/five_tasks.py --students 100000

Works on the database DATABASE_URL names (kept between runs, like benchmarks/dashboards.py, whose
`--students N` top-up it shares). Then it prints, for 广东省's programme year in force:

- `county_figures` for all 181 county-level units: seconds and SQL queries (the same count for
  any number of counties);
- whole requests through Django's test client, median and worst of `--runs` with their queries:
  the province's matrix (/five/), its Excel, one county's page and the provincial dashboard;
- `scores_recompute` of every county, city and university of the province: seconds, queries and
  the scores written.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from benchmarks.dashboards import time_page, top_up  # noqa: E402
from ledger.models import Entry  # noqa: E402
from schedule.models import ProgrammeYear, year_in_force  # noqa: E402
from students.models import Placement, Student  # noqa: E402
from summary import services  # noqa: E402
from summary.figures import county_figures  # noqa: E402


def timed(work) -> tuple[float, int, object]:
    connection.queries_log.clear()  # the top-up's queries fill the log's 9,000 places
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=0)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.students:
        top_up(args.students)
    today = timezone.localdate()
    programme_year = ProgrammeYear.objects.get(province__code="440000", year=year_in_force(today))
    print(
        f"{connection.vendor}: {Student.objects.count():,} students, "
        f"{Placement.objects.count():,} placements, {Entry.objects.count():,} ledger entries; "
        f"{programme_year}"
    )

    seconds, queries, figures = timed(lambda: county_figures(programme_year, as_of=today))
    print(f"county_figures, {len(figures)} counties: {seconds * 1000:.0f} ms, {queries} queries")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="gd_province"))
    year = programme_year.year
    for label, url in (
        ("matrix /five/ (province)", f"/five/?year={year}"),
        ("matrix Excel", f"/five/export/?year={year}"),
        ("county page (越秀区)", f"/five/440104/?year={year}"),
        ("provincial dashboard", f"/dashboard/440000/?year={year}"),
    ):
        median, worst, count = time_page(client, url, args.runs)
        print(
            f"{label}: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms, {count} queries"
        )

    actor = User.objects.get(username="gd_province")
    as_of = min(today, datetime.date(year + 1, 3, 31))
    seconds, queries, written = timed(
        lambda: services.scores_recompute(programme_year=programme_year, actor=actor, as_of=as_of)
    )
    print(f"scores_recompute: {seconds:.2f} s, {queries} queries, {written} scores")


if __name__ == "__main__":
    main()
