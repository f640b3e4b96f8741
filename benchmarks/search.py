"""Public post search under load: time per request with many published posts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/search.py --posts 100000

Creates a throw-away test database (test_<name>), loads the real regions, spreads the posts
over Guangdong's 181 practice units, then times the search a student makes on a phone.
Prints the median and 95th percentile of each search, and its query count, each built anew
(the public pages' cache is emptied before every request: benchmarks/load.py measures it).
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

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from positions.models import HostUnit, Post, Region  # noqa: E402
from positions.regions import regions_load  # noqa: E402
from schedule.services import programme_year_create  # noqa: E402

WORDS = ["乡村振兴", "政务服务", "社区治理", "文化宣传", "课业辅导", "企业运营", "志愿服务", "调研"]


def populate(n_posts: int) -> None:
    regions_load()
    province = Region.objects.get(code="440000")
    year = timezone.localdate().year + 1
    summer = programme_year_create(province=province, year=year).seasons.get(kind="summer")
    counties = list(Region.objects.filter(parent__parent=province, level="county"))
    units = HostUnit.objects.bulk_create(
        [
            HostUnit(
                county=c,
                kind="government",
                name=f"{c.name}单位{i}",
                contact_name="陈",
                contact_phone="13800138000",
            )
            for c in counties
            for i in range(5)
        ]
    )
    rng, categories, now = random.Random(7), [c for c, _ in Post.Category.choices], timezone.now()
    batch = []
    for n in range(n_posts):
        word = rng.choice(WORDS)
        batch.append(
            Post(
                host_unit=rng.choice(units),
                season=summer,
                title=f"{word}岗位{n}",
                category=rng.choice(categories),
                description=f"{word}相关工作",
                duties="职责",
                headcount=rng.randint(1, 10),
                place="某地",
                remote_allowed=rng.random() < 0.1,
                starts_on=summer.practice_starts,
                ends_on=summer.practice_starts + datetime.timedelta(days=20),
                hours="9:00-17:00",
                contact_name="陈",
                contact_phone="13800138000",
                status="published" if rng.random() < 0.8 else "draft",
                published_at=now,
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(client: Client, params: dict, runs: int) -> tuple[float, float, int]:
    timings = []
    for _ in range(runs):
        cache.clear()  # what a search costs to build (a visitor after a post changed)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/posts/", params)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        start = time.perf_counter()
        populate(args.posts)
        print(
            f"database: {connection.vendor}; {args.posts:,} posts in {time.perf_counter() - start:.1f} s"
        )
        client = Client()
        searches = {
            "all posts, page 1": {},
            "province 广东省": {"province": "440000"},
            "city 广州市": {"province": "440000", "city": "440100"},
            "county 越秀区": {"province": "440000", "city": "440100", "county": "440104"},
            "county + category": {"county": "440104", "category": "rural"},
            "keyword 乡村振兴": {"q": "乡村振兴"},
            "city + keyword, page 5": {"city": "440100", "q": "调研", "page": "5"},
            "remote only": {"remote": "on"},
        }
        print(f"{'search':<26}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for label, params in searches.items():
            median, p95, queries = measure(client, params, args.runs)
            print(f"{label:<26}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    finally:
        teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
