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
from schedule.models import (
    Milestone,
    Onboarding,
    Plan,
    ProgrammeYear,
    ProgressReport,
    UnitMilestone,
    year_in_force,
)
from students.models import University

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
    seed_custom_milestones(programme_year=programme_year, province_staff=province)
    seed_progress(programme_year=programme_year)
    for day in enforcement_days(programme_year, today):
        enforce_calendar(day=day, province=programme_year.province)


# Issue 17: the province's own milestones and the quarterly progress reports -------------------

ACTION_DAY = "全省“返家乡”统一行动日"
PAIRING = "高校与县（市、区）团委结对"
ROWS = [
    {
        "category": "needs",
        "title": "“返家乡”实践岗位开发",
        "content": "联系党政机关、企事业单位开发寒暑假实践岗位，统一在系统发布",
        "progress": "已发布岗位 126 个，录用大学生 98 人",
        "youth_covered": 98,
        "deadline": "12月底",
    },
    {
        "category": "groups",
        "title": "困境青少年暑期托管",
        "content": "组织返乡大学生为留守儿童开展课业辅导和安全教育",
        "progress": "开设托管班 6 个，服务儿童 210 人次",
        "youth_covered": 210,
        "deadline": "8月底",
    },
    {
        "category": "local",
        "title": "在外学子集中交流会",
        "content": "邀请党政领导、企业家与返乡大学生座谈，宣讲人才政策",
        "progress": "已完成场地和嘉宾对接",
        "youth_covered": 150,
        "deadline": "长期",
    },
]


def seed_custom_milestones(*, programme_year: ProgrammeYear, province_staff: User) -> None:
    """统一行动日 (seed 004) for cities and counties, done by 越秀区 with a note; 结对 (seed
    001, 11/15) for universities, done by 中山大学."""
    year = programme_year.year
    found = {m.title: m for m in programme_year.milestones.filter(code=Milestone.Code.CUSTOM)}
    for title, due, levels, description in (
        (
            ACTION_DAY,
            datetime.date(year, 7, 20),
            {"for_city": True, "for_county": True},
            "各地确定统一行动日，集中组织返乡大学生开展实践服务并做好宣传报道；完成后在工作日程中标记完成并简要说明。",
        ),
        (
            PAIRING,
            datetime.date(year, 11, 15),
            {"for_university": True},
            "各高校团委与本地籍学生集中的县（市、区）团委建立结对关系，完成后标记完成并上传结对协议。",
        ),
    ):
        if title not in found:
            found[title] = services.milestone_add(
                programme_year=programme_year,
                title=title,
                due=due,
                description=description,
                actor=province_staff,
                **levels,
            )
    for milestone, unit_filter, username, note in (
        (
            found[ACTION_DAY],
            {"region__code": "440104"},
            "yuexiu",
            "7月20日在北京路开展集中服务，参与大学生 86 人",
        ),
        (
            found[PAIRING],
            {"university__code": "4144010558"},
            "sysu_uni",
            "已与越秀区、天河区团委签订结对协议",
        ),
    ):
        services.unit_milestones_ensure(milestone=milestone)
        unit = milestone.units.filter(**unit_filter).first()
        if unit is not None and unit.status != UnitMilestone.Status.DONE:
            services.unit_milestone_complete(
                unit=unit, note=note, actor=User.objects.get(username=username)
            )


def seed_progress(*, programme_year: ProgrammeYear) -> None:
    """Quarterly reports in every state: 广州 submitted Q2 and drafted Q3; 东莞 submitted Q2
    and Q3; 中山大学 submitted Q2; 华南理工大学 left Q2 a draft (flagged overdue after 6/30);
    梅州 and 北京大学 nothing (overdue)."""
    for quarter, unit, username, submit in (
        ("q2", {"region": Region.objects.get(code="440100")}, "gz_city", True),
        ("q3", {"region": Region.objects.get(code="440100")}, "gz_city", False),
        ("q2", {"region": Region.objects.get(code="441900")}, "dg_city", True),
        ("q3", {"region": Region.objects.get(code="441900")}, "dg_city", True),
        ("q2", {"university": University.objects.get(code="4144010558")}, "sysu_uni", True),
        ("q2", {"university": University.objects.get(code="4144010561")}, "scut_uni", False),
    ):
        if ProgressReport.objects.filter(
            programme_year=programme_year, quarter=quarter, **unit
        ).exists():
            continue
        actor = User.objects.get(username=username)
        services.progress_report_save(
            programme_year=programme_year,
            quarter=quarter,
            contact=f"{actor.name} 020-83330000",
            note="各项目按计划推进，重点做好返乡大学生岗位对接和安全保障。",
            rows=ROWS if submit else ROWS[:1],
            submit=submit,
            actor=actor,
            **unit,
        )


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
