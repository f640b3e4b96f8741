"""The registration form's type-ahead over the national register: server time per look-up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fjx_reg .venv/bin/python benchmarks/university_search.py

Creates a throw-away test database (test_<name>), loads the real regions and the whole register
(2,631 institutions, `load_universities`), then asks /universities/search/ 100 times, as a
student types: Chinese fragments of real names (两三个字, a city, 师范, 职业技术), pinyin
initials (2–6 letters, "bjdx") and a few whole names, in a fixed random order. Each request goes
through the whole Django stack (middleware, the per-address throttle's counter, the query, the
JSON). Prints the median and 95th percentile, and the queries of one request. Target: median
≤ 50 ms.
"""

import argparse
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from positions.regions import regions_load  # noqa: E402
from students.models import University  # noqa: E402
from students.register import universities_load  # noqa: E402

FRAGMENTS = ["北京", "师范", "职业技术", "理工", "医科", "武汉", "广州", "大学", "学院", "财经"]


def queries(count: int, rng: random.Random) -> list[str]:
    rows = list(University.objects.values_list("name", "initials"))
    made = []
    for n in range(count):
        name, initials = rng.choice(rows)
        kind = n % 4
        if kind == 0:  # a fragment of a real name, as typed in Chinese
            start = rng.randrange(max(1, len(name) - 2))
            made.append(name[start : start + rng.choice((2, 3))])
        elif kind == 1:  # pinyin initials, as typed on a phone keyboard
            made.append(initials[: rng.randint(2, min(6, max(2, len(initials))))])
        elif kind == 2:
            made.append(rng.choice(FRAGMENTS))
        else:
            made.append(name if n % 8 == 3 else name[:2])
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    setup_test_environment()
    settings.UNIVERSITY_SEARCHES_PER_MINUTE = 1_000_000  # the throttle counts, never refuses
    old = setup_databases(verbosity=0, interactive=False)
    try:
        regions_load()
        loaded = universities_load()
        typed = queries(args.queries, random.Random(15))
        client = Client()
        for q in typed[:5]:  # warm the connection and the caches
            client.get("/universities/search/", {"q": q})
        times, answers = [], []
        for q in typed:
            start = time.perf_counter()
            response = client.get("/universities/search/", {"q": q})
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (q, response.status_code)
            answers.append(len(response.json()["results"]))
        with CaptureQueriesContext(connection) as captured:
            client.get("/universities/search/", {"q": "bjdx"})
        times.sort()
        p95 = times[max(0, round(len(times) * 0.95) - 1)]
        print(f"database: {connection.vendor}; register: {loaded.created} institutions loaded")
        print(
            f"{len(times)} type-ahead requests, {statistics.mean(answers):.1f} results on average"
        )
        print(f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
        print(f"queries per request: {len(captured)}")
        print("examples:", "、".join(typed[:12]))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
