"""The demo's 简报/简讯 going up: 越秀区's report read by 广州市 and adopted and compiled by 团省委
into a draft 工作简报; 天河区's adopted; 广州市's read; 中山大学's and 虎门镇's waiting to be read;
梅县区's draft not yet submitted. Idempotent: what exists is found by its title and left alone.

Run after seed_summary (the demo year, accounts and the province's briefings exist)."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from accounts.models import User
from demo.summary import COLOURS, png
from positions.models import Region
from reports import services
from reports.models import Report
from schedule.models import ProgrammeYear
from students.models import University

COMPILED_TITLE = "“返家乡”社会实践工作简报（各地动态汇编）"


@dataclass(frozen=True)
class Demo:
    author: str  # username
    unit: str  # region code or university code
    kind: str
    title: str
    body: str
    photos: int = 0
    submit: bool = True
    city_reads: str = ""  # 广州市's comment when it marks a county's report 已阅
    mark: str = ""  # the province's mark
    comment: str = ""


REPORTS = (
    Demo(
        "yuexiu",
        "440104",
        "briefing",
        "越秀区：暑期“返家乡”社会实践圆满收官",
        "今年暑期，越秀区团委在区图书馆、团委青年之家等5家单位开发7类实践岗位，"
        "共录用返乡大学生42名，报到40名，期满鉴定优秀14名。\n\n"
        "区团委组织岗前培训和安全教育全覆盖，8月中旬举办集中交流会，"
        "邀请区人社局、区科工信局介绍人才政策，带领学生参访重点产业园区。"
        "实践学生全部纳入联系台账，常态化推送家乡就业信息。",
        photos=3,
        city_reads="经验做法好，已转各区参考。",
        mark="adopted",
        comment="拟编入全省简报。",
    ),
    Demo(
        "tianhe",
        "440106",
        "newsflash",
        "天河区举办“返家乡”大学生就业交流会",
        "8月20日，天河区团委举办“返家乡”大学生就业交流会，"
        "30余名参加暑期实践的大学生与区内12家重点企业面对面交流，现场达成实习意向15个。",
        photos=1,
        mark="adopted",
    ),
    Demo(
        "gz_city",
        "440100",
        "briefing",
        "广州市“返家乡”社会实践工作进展",
        "截至8月底，全市各区共发布实践岗位600余个，录用大学生520名，报到498名。"
        "市团委按月调度各区进度，对报到人数不足的区提前预警，指导开展补录。",
        mark="read",
        comment="请继续做好寒假岗位开发。",
    ),
    Demo(
        "sysu_uni",
        "4144010558",
        "newsflash",
        "中山大学举办“返家乡”社会实践分享会",
        "9月15日，中山大学团委举办“返家乡”社会实践分享会，"
        "8名学生代表讲述在家乡政务服务、乡村振兴岗位上的收获，200余名学生参加。",
        photos=2,
    ),
    Demo(
        "humen",
        "441900121",
        "newsflash",
        "虎门镇启动寒假“返家乡”岗位征集",
        "11月初，虎门镇团委向镇内企事业单位征集寒假实践岗位，首批征集岗位20个。",
    ),
    Demo(
        "meixian",
        "441403",
        "briefing",
        "梅县区寒假“返家乡”工作安排（草稿）",
        "梅县区团委计划在寒假开发乡村振兴、文化宣传等岗位，组织在外学子回乡实践。",
        submit=False,
    ),
)


def seed_reports() -> None:
    province = Region.objects.get(code="440000")
    programme_year = ProgrammeYear.objects.filter(province=province).order_by("-year").first()
    if programme_year is None:
        return
    officer = User.objects.get(username="gd_province")
    city = User.objects.get(username="gz_city")
    made = [_report(programme_year, demo, officer, city) for demo in REPORTS]
    adopted = [r for r, demo in zip(made, REPORTS, strict=True) if r and demo.mark == "adopted"]
    if adopted and not Report.objects.filter(briefing__isnull=False).exists():
        services.reports_compile(
            province=province, reports=adopted, title=COMPILED_TITLE, actor=officer
        )


def _unit(code: str) -> dict:
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return {"region": region}
    return {"university": University.objects.get(code=code)}


def _report(programme_year, demo: Demo, officer: User, city: User) -> Report | None:
    if Report.objects.filter(programme_year=programme_year, title=demo.title).exists():
        return None
    author = User.objects.get(username=demo.author)
    report = services.report_create(
        programme_year=programme_year,
        kind=demo.kind,
        title=demo.title,
        body=demo.body,
        photos=[
            ContentFile(png(rgb=COLOURS[n % len(COLOURS)]), name=f"活动照片{n + 1}.png")
            for n in range(demo.photos)
        ],
        actor=author,
        **_unit(demo.unit),
    )
    if not demo.submit:
        return report
    report = services.report_submit(report=report, actor=author)
    if demo.city_reads:
        report = services.report_mark(
            report=report, mark="read", comment=demo.city_reads, actor=city
        )
    if demo.mark == "read":
        report = services.report_mark(
            report=report, mark="read", comment=demo.comment, actor=officer
        )
    elif demo.mark == "adopted" and demo.comment:
        report = services.report_mark(
            report=report, mark="adopted", comment=demo.comment, actor=officer
        )
    return report
