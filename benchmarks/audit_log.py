"""The provincial audit log under a year of events: time per page and per filter, and the
tamper-evident chain (sealing, verify_audit, nightly pruning, the cost of each write).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/audit_log.py --events 500000
    DATABASE_URL=... .venv/bin/python benchmarks/audit_log.py --events 1000000 --no-pages

Creates a throw-away test database, loads the real regions, spreads the events over a year and
over every county of Guangdong and Guangxi (the other province's events must stay out of the
page), seals them onto their chains as the migration does, then times what provincial staff
open. Prints median / p95 ms and the query count, and the time of an Excel export of one week's
events; then verify_audit over every event, the nightly pruning (180 days) and verify again,
and the time and statements of one audit write against a plain INSERT.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from accounts.audit import Action, audit_record  # noqa: E402
from accounts.audit_retention import audit_chains_verify, audit_prune  # noqa: E402
from accounts.auditchain import events_seal  # noqa: E402
from accounts.models import AuditChain, AuditEvent, AuditEventAction, Role, User  # noqa: E402
from positions.models import Region  # noqa: E402
from positions.regions import regions_load  # noqa: E402

ACTIONS = [a for a in AuditEventAction.values if not a.startswith("login")]


def populate(n_events: int) -> User:
    regions_load()
    provinces = list(Region.objects.filter(code__in=["440000", "450000"]))
    counties = list(
        Region.objects.filter(level="county", parent__parent__in=provinces).select_related("parent")
    )
    actors = [f"county{i}" for i in range(200)]
    now = timezone.now()
    rng = random.Random(8)
    batch = []
    for n in range(n_events):
        county = rng.choice(counties)
        batch.append(
            AuditEvent(
                actor_label=rng.choice(actors),
                actor_role="county",
                action=rng.choice(ACTIONS),
                target_type="students.application",
                target_id=n,
                region=county,
                province_id=county.parent.parent_id,
                ip="10.0.0.1",
            )
        )
        if len(batch) == 10_000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    # Spread over the past year (auto_now_add stamped them all now).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditevent SET created_at = %s - (id %% 365) * interval '1 day'"
            if connection.vendor == "postgresql"
            else "UPDATE accounts_auditevent SET created_at = datetime(%s, '-' || (id % 365) || ' days')",
            [now],
        )
    start = time.perf_counter()
    sealed = events_seal(AuditEvent, AuditChain, Region)
    print(f"sealed {sealed:,} events onto their chains in {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_auditevent")
    return User.objects.create(username="gd_province", role=Role.PROVINCE, region=provinces[0])


def measure(client: Client, params: dict, runs: int) -> tuple[float, float, int]:
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/accounts/audit/", params)
            if response.streaming:
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], len(queries)


def time_verify(label: str) -> None:
    start = time.perf_counter()
    reports = audit_chains_verify(now=timezone.now())
    elapsed = time.perf_counter() - start
    checked = sum(report.checked for report in reports)
    problems = [report.problem for report in reports if report.problem]
    print(
        f"verify_audit {label}: {checked:,} events on {len(reports)} chains in {elapsed:.1f} s "
        f"({checked / elapsed:,.0f} events/s); problems: {problems or 'none'}"
    )


def time_writes(writes: int) -> None:
    """One event per transaction, as a service writes it: the chain's append against the
    plain INSERT it replaced."""
    county = Region.objects.get(code="440104")
    province = county.parent.parent

    def chained() -> None:
        audit_record(Action.EXPORT, actor=None, region=county, data={"rows": 1})

    def plain() -> None:
        AuditEvent.objects.create(action=Action.EXPORT, region=county, province=province)

    for label, write in [("chained audit_record", chained), ("plain INSERT", plain)]:
        timings = []
        for _ in range(writes):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                with transaction.atomic():
                    write()
                timings.append((time.perf_counter() - start) * 1e6)
        statements = [q["sql"].split()[0] for q in queries.captured_queries]
        print(
            f"{label:<22} median {statistics.median(timings):>7.0f} µs, p95 "
            f"{sorted(timings)[int(len(timings) * 0.95)]:>7.0f} µs; statements: {statements}"
        )
    AuditEvent.objects.filter(chain_seq__isnull=True).delete()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--pages", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        start = time.perf_counter()
        staff = populate(args.events)
        print(
            f"database: {connection.vendor}; {args.events:,} events in "
            f"{time.perf_counter() - start:.1f} s"
        )
        time_verify("over every event")
        if args.pages:
            time_pages(staff, args.runs)
        time_writes(args.writes)
        start = time.perf_counter()
        pruned = audit_prune(now=timezone.now())
        print(
            f"nightly pruning (180 days): {pruned:,} events in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        print(
            f"pruning again: {audit_prune(now=timezone.now())} events in {time.perf_counter() - start:.2f} s"
        )
        time_verify("after pruning")
    finally:
        teardown_databases(old, verbosity=0)
    return 0


def time_pages(staff: User, runs: int) -> None:
    client = Client()
    client.force_login(staff)
    today = timezone.localdate()
    week = {"since": (today - datetime.timedelta(days=6)).isoformat(), "until": today}
    pages = {
        "page 1": {},
        "page 200": {"page": "200"},
        "action 发出录用": {"action": "application.offer"},
        "actor county7": {"actor": "county7"},
        "one week": week,
        "one week, action": {**week, "action": "export"},
    }
    print(f"{'audit log':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for label, params in pages.items():
        median, p95, queries = measure(client, params, runs)
        print(f"{label:<22}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    rows = AuditEvent.objects.filter(
        province=staff.region, created_at__date__gte=today - datetime.timedelta(days=6)
    ).count()
    median, _p95, _q = measure(client, {**week, "export": "xlsx"}, 3)
    print(f"Excel export of one week ({rows:,} rows): {median / 1000:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
