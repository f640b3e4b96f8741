"""The demo's calendar on the seed's real dates: the demo year is the programme year in force
today (schedule.models.year_in_force) on the template's dates, nothing shifted. Whatever the
day, the four demo counties tell the calendar's stories: 越秀 on time (plan approved by
gz_city), 天河 with an extension for its plan and reminded of its new date, 梅县 overdue
(neither plan nor onboarding; mz_city was told the day after each date), 虎门 with its plan
done late (逾期完成, waiting for dg_city's review) and its winter posts still drafts: reminded
before 11/30, overdue after it, and still able to publish."""

import datetime

from django.core.files.base import ContentFile

from accounts.models import User
from positions.models import Region
from schedule import services
from schedule.enforcement import enforce_calendar
from schedule.models import Milestone, Onboarding, Plan, ProgrammeYear, UnitMilestone, year_in_force

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# 天河区's plan is due this many days after the day the demo is seeded.
EXTENSION_DAYS = 5


def demo_year(today: datetime.date) -> int:
    """The demo's programme year: the one in force today, on the template's own dates."""
    return year_in_force(today)


def enforcement_days(programme_year: ProgrammeYear, today: datetime.date) -> list[datetime.date]:
    """The days the nightly run would have acted on so far: the day after each date passed
    (so a late unit is flagged from its real date and its city told then), four days ago
    (the seven-day reminders) and today."""
    passed = {
        due + datetime.timedelta(days=1)
        for due in programme_year.milestones.filter(applies=True).values_list("due", flat=True)
        if due < today
    }
    return sorted(passed | {today - datetime.timedelta(days=4), today})


def seed_calendar(*, programme_year: ProgrammeYear, today: datetime.date) -> None:
    province = User.objects.get(username="gd_province")
    yuexiu, tianhe, humen = (
        Region.objects.get(code=code) for code in ("440104", "440106", "441900121")
    )
    for county, username in ((yuexiu, "yuexiu"), (tianhe, "tianhe"), (humen, "humen")):
        _onboard(programme_year, county, User.objects.get(username=username))
    approved = _plan(programme_year, yuexiu, User.objects.get(username="yuexiu"))
    if approved.status == Plan.Status.SUBMITTED:
        services.plan_review(
            plan=approved,
            approve=True,
            comment="方案内容完整，同意实施。",
            actor=User.objects.get(username="gz_city"),
        )
    # The plans' date (3/31) has always passed in the year in force: the day after it, 天河,
    # 虎门 and 梅县 were flagged and their cities told; 虎门 then submitted (逾期完成, waiting
    # for 东莞's review) and 天河 was given more time.
    plan = programme_year.milestones.get(code=Milestone.Code.PLAN)
    if plan.due < today:
        enforce_calendar(
            day=plan.due + datetime.timedelta(days=1), province=programme_year.province
        )
    _plan(programme_year, humen, User.objects.get(username="humen"))
    unit = UnitMilestone.objects.get(milestone=plan, region=tianhe)
    if unit.extended_to is None and unit.status != UnitMilestone.Status.DONE:
        services.extension_grant(
            unit=unit,
            new_due=today + datetime.timedelta(days=EXTENSION_DAYS),
            reason="区团委换届，新班子重新研究实施方案",
            actor=province,
            today=today,
        )
    for day in enforcement_days(programme_year, today):
        enforce_calendar(day=day, province=programme_year.province)


def _onboard(programme_year: ProgrammeYear, county: Region, user: User) -> None:
    if not Onboarding.objects.filter(programme_year=programme_year, region=county).exists():
        services.onboarding_confirm(
            programme_year=programme_year,
            region=county,
            actor=user,
            contact_name=user.name,
            contact_phone="020-83330000",
            email=f"{user.username}@example.gov.cn",
            address=f"{county.name}团委",
        )


def _plan(programme_year: ProgrammeYear, region: Region, user: User) -> Plan:
    found = Plan.objects.filter(programme_year=programme_year, region=region).first()
    if found:
        return found
    document = ContentFile(PDF, name=f"{region.name}{programme_year.year}年返家乡工作实施方案.pdf")
    return services.plan_submit(
        programme_year=programme_year, region=region, document=document, actor=user
    )
