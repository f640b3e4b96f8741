"""The rush benchmark (benchmarks/rush.py) run small against a live server: students sign in and
apply through the real pages at once, and the database checks it makes all pass, on a server
that does what the rush asks of it. On PostgreSQL, as the benchmark is meant for."""

import sys
from pathlib import Path

import pytest
from django.conf import settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import rush  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_small_rush_loses_and_duplicates_nothing_and_keeps_the_limits(live_server):
    result = rush.run(
        live_server.url,
        students=30,
        seconds=120,
        database_url=settings.DATABASES["default"]["NAME"],
        threads=6,
        behind_tls=False,
    )
    assert result["checks"] and all(result["checks"].values()), result["checks"]
    assert result["students_done"] == 30
    assert result["5xx"] == 0 and result["no_answer"] == 0
    assert result["refused"].get("limit", 0) >= 1  # every tenth tried a fourth choice
    assert result["refused"].get("duplicate", 0) >= 1  # every tenth double-clicked
    assert result["applications_taken"] >= 30


def test_the_rush_sends_nothing_past_the_loopback():
    with pytest.raises(ValueError, match="127.0.0.1"):
        rush.run("http://example.com", students=1, seconds=1, database_url="")
