"""Helpers for the calendar tests: frozen dates, the daily run, reading notices."""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Notice
from positions.models import Region
from schedule.enforcement import enforce_calendar
from schedule.models import Milestone, UnitMilestone
from schedule.services import unit_milestones_ensure
from tests.factories import PostFactory, StudentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2030


def day(month: int, dom: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, dom)


@contextmanager
def on(date: datetime.date, hour: int = 10):
    """Freeze the clock at `hour` o'clock on `date` in Asia/Shanghai."""
    moment = datetime.datetime(date.year, date.month, date.day, hour, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield


def run(date: datetime.date, province: Region | None = None):
    """What the beat runs just after midnight on `date`."""
    with on(date, hour=0):
        return enforce_calendar(day=date, province=province)


def texts(user, about: str = "") -> list[str]:
    """The notices `user` received, oldest first, optionally only those mentioning `about`."""
    notices = Notice.objects.filter(user=user).order_by("id")
    return [n.text for n in notices if about in n.text]


def standing(milestone: Milestone, region: Region) -> UnitMilestone:
    """`region`'s row for `milestone` (made on demand, as the calendar page does)."""
    unit_milestones_ensure(milestone=milestone)
    return UnitMilestone.objects.get(milestone=milestone, region=region)


def summer_post(cal, county: str = "yx", **fields):
    """A post of the 2030 summer (published unless told otherwise)."""
    host_unit = getattr(cal, f"unit_{county}")
    return PostFactory(host_unit=host_unit, season=cal.summer, **fields)


def student_of(county: Region):
    return StudentFactory(hometown=county)


def post_fields(season, title: str = "暑期社区服务岗") -> dict:
    """What a county officer fills in for a new post of `season`."""
    return {
        "title": title,
        "category": "community",
        "description": "协助社区开展服务",
        "duties": "入户走访、资料整理",
        "headcount": 2,
        "place": "社区服务中心",
        "starts_on": season.practice_starts,
        "ends_on": season.practice_starts + datetime.timedelta(days=20),
        "hours": "9:00-17:00",
        "contact_name": "陈老师",
        "contact_phone": "13800138000",
    }
