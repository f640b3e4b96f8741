"""The demo's calendar: the demo year is placed so that today is three days before the winter
posts deadline, whatever today is, and the four demo counties stand where a new user learns the
most: 越秀 on time, 天河 with an extension, 梅县 overdue, 虎门 being reminded."""

import datetime

from django.core.files.base import ContentFile

from accounts.models import User
from positions.models import Region
from schedule import services
from schedule.enforcement import enforce_calendar
from schedule.models import Milestone, Onboarding, Plan, ProgrammeYear, UnitMilestone

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def demo_year(today: datetime.date) -> tuple[int, int]:
    """(year, shift in days) so that the year's winter posts deadline falls three days ahead."""
    target = today + datetime.timedelta(days=3)
    year = min((today.year - 1, today.year), key=lambda y: abs(datetime.date(y, 11, 30) - target))
    return year, (target - datetime.date(year, 11, 30)).days


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
    _plan(programme_year, humen, User.objects.get(username="humen"))  # waiting for 东莞's review
    plan = programme_year.milestones.get(code=Milestone.Code.PLAN)
    services.unit_milestones_ensure(milestone=plan)
    unit = UnitMilestone.objects.get(milestone=plan, region=tianhe)
    if unit.extended_to is None and unit.status != UnitMilestone.Status.DONE:
        services.extension_grant(
            unit=unit,
            new_due=today + datetime.timedelta(days=5),
            reason="区团委换届，新班子重新研究实施方案",
            actor=province,
            today=today,
        )
    # Four days ago the seven-day reminders went out; today the three-day ones and the rest.
    for day in (today - datetime.timedelta(days=4), today):
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
