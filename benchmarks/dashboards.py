"""Dashboards at national size, and the second-classroom credit export.

    createdb -h 127.0.0.1 -U postgres fanjiaxiang_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang_bench
    .venv/bin/python benchmarks/dashboards.py --students 1000000

Works on the database DATABASE_URL names (not a throw-away one: a million students take minutes
to load, so they are loaded once and kept). `--students N` first tops the data set up to N scale
students with `seed_demo --scale` (regions and the demo are loaded if missing). Then it times:

- the recount the beat runs every 10 minutes (`stats_refresh_all`, every season of the year);
- the provincial dashboard (广东省, as gd_province) and the national one (as the superuser
  `admin`), whole requests through Django's test client: median and worst of `--runs`, and the
  number of SQL queries;
- `export_credits` of `--credit-rows` completed placements (100,000 by default) and of all of
  them, through the command's own writer, with the growth of the process's peak RSS; then the
  peak Python memory (tracemalloc) for a fifth of those rows and for all of them, which must not
  grow with the rows.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from dashboards.models import CountySeasonStats  # noqa: E402
from dashboards.services import stats_refresh_all  # noqa: E402
from positions.models import Region  # noqa: E402
from students.models import Application, Placement, Student  # noqa: E402


def top_up(students: int) -> None:
    call_command("migrate", verbosity=0)  # a new, empty database (createdb) works as it is
    if not Region.objects.exists():
        call_command("load_regions")
    have = User.objects.filter(username__startswith="scale_").count()
    if not User.objects.filter(username="gd_province").exists() or have < students:
        started = time.perf_counter()
        call_command("seed_demo", scale=max(0, students - have))
        print(f"seed_demo --scale {students - have}: {time.perf_counter() - started:.0f} s")


def time_page(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), len(queries)


def time_export(rows: int | None, *, traced: bool = False) -> tuple[int, float, float]:
    """(rows written, seconds, MiB): the growth of the process's peak RSS, or with `traced`
    the peak of Python's allocations (tracemalloc slows the run several times over)."""
    from fanjiaxiang.exporters import export_file
    from students.exporters import CreditsExporter

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "credits.xlsx"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        exporter = CreditsExporter.unscoped()
        exporter.limit = rows
        written = export_file(exporter, path)
        elapsed = time.perf_counter() - started
        if traced:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        else:
            peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        return written, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--credit-rows", type=int, default=100_000)
    args = parser.parse_args()
    if args.students:
        top_up(args.students)
    print(
        f"{connection.vendor}: {Student.objects.count():,} students, "
        f"{Application.objects.count():,} applications, {Placement.objects.count():,} placements, "
        f"{Region.objects.filter(level='county').count():,} counties"
    )

    started = time.perf_counter()
    rows = stats_refresh_all()
    print(
        f"recount of every season (stats_refresh_all): {time.perf_counter() - started:.1f} s, {rows:,} rows"
    )
    year = (
        CountySeasonStats.objects.order_by("-season__programme_year__year")
        .values_list("season__programme_year__year", flat=True)
        .first()
    )

    client = Client(HTTP_HOST="127.0.0.1")
    for username, code, label in (
        ("gd_province", "440000", "provincial dashboard (广东省)"),
        ("admin", "national", "national dashboard"),
    ):
        user = User.objects.get(username=username)
        client.force_login(user)
        median, worst, queries = time_page(client, f"/dashboard/{code}/?year={year}", args.runs)
        print(
            f"{label}: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms, {queries} queries"
        )

    for limit in (args.credit_rows, None):
        written, elapsed, grown = time_export(limit)
        print(f"export_credits {written:,} rows: {elapsed:.1f} s, peak RSS grew {grown:.1f} MiB")
    for limit in (args.credit_rows // 5, args.credit_rows):
        written, _elapsed, peak = time_export(limit, traced=True)
        print(f"  peak Python memory (tracemalloc) for {written:,} rows: {peak:.1f} MiB")


if __name__ == "__main__":
    main()
