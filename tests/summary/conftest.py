"""A small 2030 Guangdong year whose scores are counted by hand in test_scores.py.

Counties of the province: 越秀区 and 天河区 (广州市), 梅县区 (梅州市); quota 4 each. Universities
中山大学 and 华南理工大学. The province's rule for the year keeps the default weights and sets
small targets (RULE), so the small world's counts make round numbers. 广西 has its own 2030 year (a 华工 student practises in 兴宁区). Every
role has staff, in two places each, for the scope tests."""

import datetime
import uuid
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from ledger.models import Channel, ContactLog, Entry, ExchangeEvent, ReturnRegistration
from schedule.models import CountyQuota, Plan, UnitMilestone
from schedule.services import programme_year_create, unit_milestones_ensure
from students.models import Application, Clearance, CreditRule, Placement
from summary import services
from summary.models import CaseRule, CityActivity
from tests.factories import (
    HostUnitFactory,
    PostFactory,
    StudentFactory,
    UniversityFactory,
    region,
    staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2030
AS_OF = datetime.date(2031, 3, 20)  # every county milestone is due; the summary (3/31) is not


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def summary_day():
    """The clock on the day the province recomputes: 2031-03-20 10:00 in Asia/Shanghai."""
    with time_machine.travel(at(AS_OF), tick=True):
        yield AS_OF


def place(student, post, status: str, *, rating: str = "", reported: bool = True) -> Placement:
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    completed = status == Placement.Status.COMPLETED
    return Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        status=status,
        checkin_code="12345678",
        reported_at=at(post.starts_on) if reported else None,
        completed_at=at(post.ends_on) if completed else None,
        rating=rating if completed else "",
        hours=40 if completed else None,
        certificate_code=uuid.uuid4().hex[:12].upper() if completed else None,
    )


def clear(student, season, *, certified=None, trained=None) -> Clearance:
    return Clearance.objects.create(
        student=student,
        season=season,
        performance_certified_at=certified,
        safety_trained_at=trained,
    )


def ledger(county, count: int, *, start: int = 0) -> list[Entry]:
    return [
        Entry.objects.create(county=county, name=f"台账{n}", phone=f"1370000{n:04d}")
        for n in range(start, start + count)
    ]


def registration(entry, *, year=YEAR, kind="employment", status="verified"):
    return ReturnRegistration.objects.create(
        entry=entry,
        kind=kind,
        year=year,
        organisation="家乡某单位",
        status=status,
        verified_at=timezone.now() if status != "pending" else None,
    )


def milestones(programme_year, county, statuses: dict[str, dict]) -> None:
    """Set `county`'s standing on the year's milestones: {code: fields}."""
    for milestone in programme_year.milestones.all():
        unit_milestones_ensure(milestone=milestone)
    for code, fields in statuses.items():
        UnitMilestone.objects.filter(
            milestone__programme_year=programme_year, milestone__code=code, region=county
        ).update(**fields)


DONE = {"status": "done", "done_at": at(datetime.date(2030, 3, 1))}
DONE_LATE = DONE | {"overdue_since": datetime.date(2030, 4, 16)}


@pytest.fixture
def sw(gd):
    """The summary world, figures as the docstring of test_scores.py counts them."""
    w = SimpleNamespace(**vars(gd))
    w.guangxi, w.xingning = region("450000"), region("450102")
    w.programme_year = programme_year_create(province=gd.province, year=YEAR, quota_per_county=4)
    w.summer = w.programme_year.seasons.get(kind="summer")
    w.winter = w.programme_year.seasons.get(kind="winter")
    gx_year = programme_year_create(province=w.guangxi, year=YEAR)
    w.gx_summer = gx_year.seasons.get(kind="summer")
    w.zsu = UniversityFactory(name="中山大学", code="4144010558")
    w.scut = UniversityFactory(name="华南理工大学", code="4144010561")
    w.unit_yx = HostUnitFactory(county=gd.yuexiu, name="越秀区图书馆")
    w.unit_th = HostUnitFactory(county=gd.tianhe, name="天河区图书馆")
    w.unit_xn = HostUnitFactory(county=w.xingning, name="兴宁区图书馆")
    w.post_summer = PostFactory(host_unit=w.unit_yx, season=w.summer, title="越秀暑期岗")
    w.post_winter = PostFactory(host_unit=w.unit_yx, season=w.winter, title="越秀寒假岗")
    w.post_gx = PostFactory(host_unit=w.unit_xn, season=w.gx_summer, title="兴宁暑期岗")
    _staff(w)
    _placements(w)
    _milestones(w)
    _ledgers(w)
    _five_tasks(w)
    _cities(w)
    _rules(w)
    return w


def _staff(w) -> None:
    w.province_staff = staff(Role.PROVINCE, region=w.province, username="gd_province")
    w.gx_staff = staff(Role.PROVINCE, region=w.guangxi, username="gx_province")
    w.gz_staff = staff(Role.CITY, region=w.guangzhou, username="gz_city")
    w.mz_staff = staff(Role.CITY, region=w.meizhou, username="mz_city")
    w.yx_staff = staff(Role.COUNTY, region=w.yuexiu, username="yuexiu")
    w.th_staff = staff(Role.COUNTY, region=w.tianhe, username="tianhe")
    w.mx_staff = staff(Role.COUNTY, region=w.meixian, username="meixian")
    w.yx_host = staff(Role.HOST, host_unit=w.unit_yx, username="yuexiu_host")
    w.zsu_staff = staff(Role.UNIVERSITY, university=w.zsu, username="sysu")
    w.scut_staff = staff(Role.UNIVERSITY, university=w.scut, username="scut")


def _placements(w) -> None:
    w.s1, w.s2, w.s3, w.s4 = (
        StudentFactory(hometown=w.yuexiu, university=w.zsu) for _n in range(4)
    )
    w.s5 = StudentFactory(hometown=w.xingning, university=w.scut)
    place(w.s1, w.post_summer, "completed", rating="excellent")
    place(w.s2, w.post_summer, "completed", rating="good")
    place(w.s3, w.post_summer, "reported")
    place(w.s4, w.post_summer, "dropped", reported=False)
    place(w.s1, w.post_winter, "completed", rating="pass")
    place(w.s5, w.post_gx, "completed", rating="excellent")
    summer_starts = w.post_summer.starts_on  # 2030-07-01
    clear(w.s1, w.summer, certified=at(datetime.date(2030, 6, 20)), trained=at(summer_starts))
    # Trained at 01:00 on 7/2 in Shanghai: still 7/1 in UTC, but late where it happened.
    clear(
        w.s2,
        w.summer,
        certified=at(datetime.date(2030, 6, 20)),
        trained=at(summer_starts + datetime.timedelta(days=1), hour=1),
    )
    clear(
        w.s1,
        w.winter,
        certified=at(w.post_winter.starts_on, 8),
        trained=at(w.post_winter.starts_on, 9),
    )
    clear(
        w.s5,
        w.gx_summer,
        certified=at(datetime.date(2030, 6, 1)),
        trained=at(datetime.date(2030, 6, 2)),
    )


def _milestones(w) -> None:
    milestones(
        w.programme_year,
        w.yuexiu,
        {
            "plan": DONE,
            "onboard": DONE_LATE,
            "summer_posts": DONE,
            "summer_match": {"status": "excused", "excuse_reason": "防汛"},
            "summer_practice": DONE,
            "winter_posts": {"status": "overdue", "overdue_since": datetime.date(2030, 12, 1)},
            "winter_match": {"extended_to": datetime.date(2031, 4, 10), "extension_reason": "换届"},
            # winter_practice: still pending, its date (2/28) has passed
        },
    )
    codes = w.programme_year.milestones.exclude(code="summary").values_list("code", flat=True)
    milestones(w.programme_year, w.tianhe, dict.fromkeys(codes, DONE))
    # The cities' plans (their only county-and-city milestone): 广州 on time, 梅州 late.
    milestones(w.programme_year, w.guangzhou, {"plan": DONE})
    milestones(w.programme_year, w.meizhou, {"plan": DONE_LATE})
    # 梅县区's rows were never made (a unit added after the run): counted as not done.
    UnitMilestone.objects.filter(region=w.meixian).delete()


def _ledgers(w) -> None:
    yx = ledger(w.yuexiu, 2)
    registration(yx[0])  # verified, 2030: counts
    registration(yx[0], kind="startup", status="pending")
    registration(yx[1], year=YEAR - 1)  # another year
    for entry in ledger(w.tianhe, 10, start=100)[:6]:
        registration(entry)
    # 梅县区's quota row was frozen by the calendar at year end with 2 reported.
    CountyQuota.objects.create(
        programme_year=w.programme_year,
        region=w.meixian,
        quota=4,
        reported=2,
        finalised_on=datetime.date(2031, 3, 1),
    )


# The year's rule in this world: the default weights, targets fitted to a quota of 4.
RULE = {
    "county": {
        "posts": {"weight": 30, "target": None},
        "exchange": {"weight": 15, "target": 1},
        "channels": {"weight": 15, "target": 4},
        "ledger": {"weight": 15, "target": 4},
        "returns": {"weight": 15, "target": 2},
        "milestones": {"weight": 10, "target": None},
    },
    "university": {
        "reach": {"weight": 40, "target": 4},
        "clearance": {"weight": 30, "target": None},
        "credits": {"weight": 30, "target": None},
    },
}


def _five_tasks(w) -> None:
    """越秀区: one exchange held (one attendee), a channel reaching both ledger entries, one
    entry contacted in the year (the other's contact was before it)."""
    first, second = Entry.objects.filter(county=w.yuexiu).order_by("pk")
    event = ExchangeEvent.objects.create(
        county=w.yuexiu,
        season=w.summer,
        title="越秀集中交流",
        date=datetime.date(2030, 8, 10),
        place="区青年之家",
    )
    event.attendees.add(first)
    channel = Channel.objects.create(county=w.yuexiu, kind="alumni", name="越秀中学校友群")
    channel.members.add(first, second)
    ContactLog.objects.create(entry=first, date=datetime.date(2030, 9, 1), method="phone")
    ContactLog.objects.create(entry=second, date=datetime.date(2029, 12, 1), method="phone")


def _cities(w) -> None:
    """广州市: its plan done on time and approved, a 示范活动 and a 学子归巢 held. 梅州市: its plan
    done late and not yet reviewed, its 示范活动 after the day of the count."""
    for city, status in ((w.guangzhou, "approved"), (w.meizhou, "submitted")):
        Plan.objects.create(
            programme_year=w.programme_year,
            region=city,
            document="plans/plan.pdf",
            original_name="实施方案.pdf",
            status=status,
            submitted_at=at(datetime.date(2030, 3, 20)),
            reviewed_at=at(datetime.date(2030, 3, 25)) if status == "approved" else None,
        )
    for city, kind, day in (
        (w.guangzhou, "demo", datetime.date(2030, 7, 20)),
        (w.guangzhou, "homecoming", datetime.date(2031, 2, 10)),
        (w.meizhou, "demo", datetime.date(2031, 3, 25)),
    ):
        CityActivity.objects.create(
            programme_year=w.programme_year,
            city=city,
            kind=kind,
            title=f"{city.name}{kind}",
            held_on=day,
            place="市青年之家",
            participants=30,
            description="活动情况",
        )


def _rules(w) -> None:
    """The rule above; 中山大学 set its own credit rule (良好 and above, 16 hours a credit),
    华南理工大学 never did."""
    for kind, parts in RULE.items():
        services.scoring_rule_save(
            programme_year=w.programme_year, kind=kind, parts=parts, actor=w.province_staff
        )
    CreditRule.objects.create(university=w.zsu, hours_per_credit=16, min_rating="good")


LENIENT_RULE = {
    "min_chars": 1,
    "max_chars": 10000,
    "min_photos": 1,
    "max_photos": 6,
    "min_photo_bytes": 0,
}


@pytest.fixture
def lenient_case_rule(sw):
    """Typical cases of the year need only some text and 1–6 photos of any size: for the tests
    about scope, review and storage (the rule itself is tried in test_case_rules.py)."""
    return CaseRule.objects.create(programme_year=sw.programme_year, **LENIENT_RULE)
