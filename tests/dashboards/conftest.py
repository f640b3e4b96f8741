"""A hand-counted season: every figure the dashboards show is written out in `EXPECTED`.

广州市越秀区 (summer): posts P1 published, P2 closed (P3 draft and P4 cancelled do not count).
  a1 s1→P1 completed excellent 40 h  → offered, confirmed, reported, completed, credited
  a2 s2→P1 completed pass 7 h        → … completed, not credited (7 h < half of 16 h)
  a3 s3→P2 reported                  → offered, confirmed, reported
  a4 s4→P2 confirmed, not reported   → offered, confirmed
  a5 s5→P1 offered; a6 s5→P2 applied → one offer
  a7 s6→P1 rejected; a8 s6→P2 declined → one offer
  a9 s7→P1 completed pass 30 h, but s7's university credits only 良好 and above → not credited
  = posts 2, applications 9, offers 7, confirmed 5, reported 4, completed 3, credited 1
广州市越秀区 (winter): P5; a10 s1→P5 completed good 8 h (8 × 2 ≥ 16: half a credit)
  = posts 1, applications 1, offers 1, confirmed 1, reported 1, completed 1, credited 1
广州市天河区 (summer): P6; a11 s8→P6 confirmed then dropped before reporting
  = posts 1, applications 1, offers 1, confirmed 1, others 0
梅州市梅县区: nothing but a quota. 广西南宁市兴宁区: a completed placement that Guangdong never sees.
Ledger: 越秀 3 entries, contacts 2 in the summer window (1/1–8/31), 1 in the winter window
(9/1–end of next February), 1 the year before; returns: 1 verified this year (1 pending and 1
verified last year do not count). 天河 1 entry.
Quotas: 越秀 4/4 met; 天河 0/50 at risk; 梅县 10/50 finalised short.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dashboards.services import stats_refresh_all
from ledger.models import ContactLog, Entry, ReturnRegistration
from positions.models import Post
from schedule.models import CountyQuota, Milestone, ProgrammeYear, UnitMilestone
from schedule.services import programme_year_create
from students.models import Application, CreditRule, Placement
from tests.factories import (
    HostUnitFactory,
    PostFactory,
    Role,
    StudentFactory,
    UniversityFactory,
    practice_year,
    region,
    staff,
)

EXPECTED = {
    "province_all": {
        "posts": 4,
        "applications": 11,
        "offers": 9,
        "confirmed": 7,
        "reported": 5,
        "completed": 4,
        "credited": 2,
        "ledger_size": 4,
        "contacts": 3,
        "returns": 1,
    },
    "province_summer": {
        "posts": 3,
        "applications": 10,
        "offers": 8,
        "confirmed": 6,
        "reported": 4,
        "completed": 3,
        "credited": 1,
        "ledger_size": 4,
        "contacts": 2,
        "returns": 1,
    },
    "yuexiu_all": {
        "posts": 3,
        "applications": 10,
        "offers": 8,
        "confirmed": 6,
        "reported": 5,
        "completed": 4,
        "credited": 2,
        "ledger_size": 3,
        "contacts": 3,
        "returns": 1,
    },
    "tianhe_all": {
        "posts": 1,
        "applications": 1,
        "offers": 1,
        "confirmed": 1,
        "reported": 0,
        "completed": 0,
        "credited": 0,
        "ledger_size": 1,
        "contacts": 0,
        "returns": 0,
    },
}


def _placement(application, status, *, rating="", hours=None, code=None):
    now = timezone.now()
    application.status = "confirmed"
    application.save()
    return Placement.objects.create(
        application=application,
        student=application.student,
        post=application.post,
        season=application.season,
        status=status,
        checkin_code="12345678",
        reported_at=now if status in ("reported", "completed") else None,
        completed_at=now if status == "completed" else None,
        rating=rating,
        hours=hours,
        certificate_code=code,
    )


def _apply(student, post, rank, status="applied"):
    return Application.objects.create(
        student=student, post=post, season=post.season, rank=rank, status=status
    )


def _entry(county, n):
    return Entry.objects.create(
        county=county, name=f"台账{n}", phone=f"1380000{n:04d}", source="other"
    )


@pytest.fixture
def board(db):
    return build_board()


def build_board():
    year = practice_year()
    gd, gx = region("440000"), region("450000")
    yuexiu, tianhe, meixian = region("440104"), region("440106"), region("441403")
    guangzhou, meizhou = region("440100"), region("441400")
    programme = programme_year_create(province=gd, year=year)
    summer = programme.seasons.get(kind="summer")
    winter = programme.seasons.get(kind="winter")
    unit_yx = HostUnitFactory(county=yuexiu)
    unit_th = HostUnitFactory(county=tianhe)
    p1 = PostFactory(host_unit=unit_yx, season=summer)
    p2 = PostFactory(host_unit=unit_yx, season=summer, status=Post.Status.CLOSED)
    PostFactory(host_unit=unit_yx, season=summer, status=Post.Status.DRAFT, published_at=None)
    PostFactory(host_unit=unit_yx, season=summer, status=Post.Status.CANCELLED)
    p5 = PostFactory(host_unit=unit_yx, season=winter)
    p6 = PostFactory(host_unit=unit_th, season=summer)

    default_uni = UniversityFactory(code="4144010558", name="中山大学")
    strict_uni = UniversityFactory(code="4144010561", name="华南理工大学")
    CreditRule.objects.create(university=strict_uni, hours_per_credit=10, min_rating="good")
    s = [StudentFactory(university=default_uni) for _ in range(8)]
    s7 = StudentFactory(university=strict_uni)

    _placement(_apply(s[0], p1, 1), "completed", rating="excellent", hours=40, code="C1")
    _placement(_apply(s[1], p1, 1), "completed", rating="pass", hours=7, code="C2")
    _placement(_apply(s[2], p2, 1), "reported")
    _placement(_apply(s[3], p2, 1), "confirmed")
    _apply(s[4], p1, 1, "offered")
    _apply(s[4], p2, 2, "applied")
    _apply(s[5], p1, 1, "rejected")
    _apply(s[5], p2, 2, "declined")
    _placement(_apply(s7, p1, 1), "completed", rating="pass", hours=30, code="C3")
    _placement(_apply(s[0], p5, 1), "completed", rating="good", hours=8, code="C4")
    _placement(_apply(s[7], p6, 1), "dropped")

    # Guangxi: counted on its own dashboard only.
    gx_year = programme_year_create(province=gx, year=year)
    gx_post = PostFactory(
        host_unit=HostUnitFactory(county=region("450102")),
        season=gx_year.seasons.get(kind="summer"),
    )
    _placement(
        _apply(StudentFactory(university=default_uni), gx_post, 1),
        "completed",
        rating="excellent",
        hours=100,
        code="C5",
    )

    e1, e2, _e3 = (_entry(yuexiu, n) for n in (1, 2, 3))
    _entry(tianhe, 4)
    for day in (
        datetime.date(year, 1, 1),  # summer window
        datetime.date(year, 8, 31),  # summer window
        datetime.date(year, 9, 1),  # winter window
        datetime.date(year - 1, 12, 31),  # last year: counted nowhere
    ):
        ContactLog.objects.create(entry=e1, date=day, method="phone", content="联系")
    ReturnRegistration.objects.create(
        entry=e1,
        kind="employment",
        year=year,
        organisation="越秀区某公司",
        status="verified",
        verified_at=timezone.now(),
    )
    ReturnRegistration.objects.create(
        entry=e2, kind="startup", year=year, organisation="创业项目", status="pending"
    )
    ReturnRegistration.objects.create(
        entry=e2,
        kind="employment",
        year=year - 1,
        organisation="旧单位",
        status="verified",
        verified_at=timezone.now(),
    )

    CountyQuota.objects.create(programme_year=programme, region=yuexiu, quota=4, reported=4)
    CountyQuota.objects.create(
        programme_year=programme, region=tianhe, quota=50, reported=0, at_risk=True
    )
    CountyQuota.objects.create(
        programme_year=programme,
        region=meixian,
        quota=50,
        reported=10,
        finalised_on=datetime.date(year, 12, 31),
        shortfall=40,
    )
    plan = programme.milestones.get(code=Milestone.Code.PLAN)
    onboard = programme.milestones.get(code=Milestone.Code.ONBOARD)
    for milestone, unit, status in (
        (plan, guangzhou, "done"),
        (plan, yuexiu, "done"),
        (plan, tianhe, "overdue"),
        (plan, meizhou, "pending"),
        (plan, meixian, "excused"),
        (onboard, yuexiu, "done"),
        (onboard, tianhe, "done"),
        (onboard, meixian, "overdue"),
    ):
        UnitMilestone.objects.create(
            milestone=milestone,
            region=unit,
            status=status,
            done_at=timezone.now() if status == "done" else None,
            excuse_reason="受灾" if status == "excused" else "",
        )

    stats_refresh_all()
    return SimpleNamespace(
        year=year,
        programme=programme,
        summer=summer,
        winter=winter,
        gd=gd,
        gx=gx,
        guangzhou=guangzhou,
        meizhou=meizhou,
        yuexiu=yuexiu,
        tianhe=tianhe,
        meixian=meixian,
        province_staff=staff(Role.PROVINCE, region=gd, username="gd_province"),
        gx_staff=staff(Role.PROVINCE, region=gx, username="gx_province"),
        gz_staff=staff(Role.CITY, region=guangzhou, username="gz_city"),
        mz_staff=staff(Role.CITY, region=meizhou, username="mz_city"),
        yx_staff=staff(Role.COUNTY, region=yuexiu, username="yuexiu"),
        th_staff=staff(Role.COUNTY, region=tianhe, username="tianhe"),
        host=staff(Role.HOST, host_unit=unit_yx, username="yx_host"),
        uni=staff(Role.UNIVERSITY, university=default_uni, username="sysu"),
        student=s[0].user,
        superuser=staff("", username="root", is_superuser=True, is_staff=True),
    )


__all__ = ["EXPECTED", "ProgrammeYear"]
