"""The demo's annual summary: the year's scoring rule (the defaults, saved by 团省委), 广州市's
plan approved, city activities (广州 and 东莞; 梅州 none yet), scores for the demo year's
counties, cities and universities (越秀区 with an adjustment), an approved
typical case of 越秀区 and one of 中山大学 waiting for review, each with photos, and a published
briefing. Idempotent: what exists is found by its title and left alone, and scores are computed
only when the year has none (the province recomputes them from 总结表扬 whenever it likes).

Run after the demo accounts, students, ledger and calendar exist (seed_demo's last step)."""

import datetime
import struct
import zlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from demo.schedule import PDF
from positions.models import Region
from schedule.models import Plan, ProgrammeYear
from schedule.services import plan_review, plan_submit
from students.models import University
from summary import scoring, services
from summary.models import Briefing, CityActivity, Publication, Score, ScoringRule, TypicalCase

APPROVED_TITLE = "越秀区：青年之家里的“返乡第一课”"
APPROVED_BODY = """暑期，越秀区团委依托“返家乡社会实践岗位对接系统”，在区图书馆、团委青年之家、乡村振兴发展有限公司等5家单位开发政务实践、公益服务、文化宣传等7类岗位，面向在外求学的越秀籍大学生集中发布。

一是岗位对接精准。区团委根据学生专业整理岗位清单，用人单位对报名学生逐一排序，区团委按双向选择结果发出录用，学生在线确认，做到“人岗相适”。

二是过程管理扎实。每名学生报到当天完成岗前培训和安全教育，实践期间按日填写实践日志，由用人单位确认时长；区团委干部分片联系，每周走访实践岗位。

三是交流引导有温度。8月中旬，区团委组织参加实践的大学生开展集中交流，邀请区人社局、区科工信局和优秀青年企业家介绍人才政策和就业创业服务，带领学生参访重点产业园区，部分学生表示毕业后愿意回到家乡工作。

四是联系机制常态化。参加实践的学生全部纳入联系台账，通过大学生成长促进会和中学校友群常态化推送家乡发展动态、人才政策和就业信息。

参与实践的同学说：“在家门口的岗位上，第一次真正了解了家乡的发展，也找到了毕业后的方向。”"""
APPROVED_COMMENT = "做法扎实、成效明显，拟在全省简报中刊发。"

SUBMITTED_TITLE = "中山大学：把返家乡实践写进第二课堂成绩单"
SUBMITTED_BODY = """学校团委将“返家乡”社会实践纳入“第二课堂”成绩单认定范围，寒暑假前通过推文、班团会和社团活动集中宣传动员，为报名学生开具在校表现证明，组织行前安全教育培训。

实践结束后，学校依据县级团委和用人单位的期满鉴定认定学分，并将实践经历和成果作为综合测评、评奖评优的重要依据。本年度暑期，学校学生在家乡县区参加政务实践、乡村振兴调研和公益服务，多名学生的调研报告被当地采纳。"""

BRIEFING_TITLE = "“返家乡”社会实践工作简报：暑期实践圆满完成"
BRIEFING_BODY = """今年暑期，全省各级团组织按照工作安排，扎实推进大学生“返家乡”社会实践活动。各县（市、区）团委在“返家乡社会实践岗位对接系统”发布政务实践、乡村振兴、企业实践、公益服务、社区服务、兼职锻炼、文化宣传等各类实践岗位，组织在外高校学子回到家乡参加实践。

各地注重岗位对接和过程管理。越秀区团委依托青年之家开展岗前培训和集中交流，邀请人社、科工信等部门解读人才政策，带领学生参访重点产业园区；天河区团委通过人岗匹配提高人岗相适度。各高校团委做好宣传动员、在校表现证明和行前安全培训。

下一步，各地要抓紧做好寒假岗位开发和动员选拔工作，按时在系统中发布岗位、完成对接；同时及时总结好经验、好做法，报送典型案例，为年度总结表扬做好准备。"""

ADJUSTED_COUNTY = "440104"  # 越秀区
ADJUSTMENT = Decimal("2.0")
ADJUSTMENT_REASON = "集中交流活动组织出色，经验在全省推广"


def png(width: int = 480, height: int = 320, rgb: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A small valid PNG (a colour band over a light ground), made without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    light = bytes((250, 245, 235))
    rows = b"".join(
        b"\x00" + (bytes(rgb) if height // 3 <= y < 2 * height // 3 else light) * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _photo(name: str, rgb: tuple[int, int, int]) -> ContentFile:
    return ContentFile(png(rgb=rgb), name=name)


def seed_summary() -> None:
    province = Region.objects.get(code="440000")
    programme_year = ProgrammeYear.objects.filter(province=province).order_by("-year").first()
    if programme_year is None:
        return
    officer = User.objects.get(username="gd_province")
    _rules(programme_year, officer)
    _city_plan(programme_year, officer)
    _city_activities(programme_year)
    _scores(programme_year, officer)
    _approved_case(programme_year, officer)
    _submitted_case(programme_year)
    _briefing(province, officer)


def _rules(programme_year: ProgrammeYear, officer: User) -> None:
    """The demo year's rule: the defaults, saved by the province (the 评分规则 page shows who)."""
    if Publication.objects.filter(programme_year=programme_year).exists():
        return
    for kind in scoring.PARTS:
        if not ScoringRule.objects.filter(programme_year=programme_year, kind=kind).exists():
            services.scoring_rule_save(
                programme_year=programme_year,
                kind=kind,
                parts=scoring.default_parts(kind),
                actor=officer,
            )


def _city_plan(programme_year: ProgrammeYear, officer: User) -> None:
    """广州市's own plan (全市实施方案), submitted and approved by the province."""
    guangzhou = Region.objects.get(code="440100")
    plan = Plan.objects.filter(programme_year=programme_year, region=guangzhou).first()
    if plan is None:
        plan = plan_submit(
            programme_year=programme_year,
            region=guangzhou,
            document=ContentFile(PDF, name=f"广州市{programme_year.year}年返家乡工作实施方案.pdf"),
            actor=User.objects.get(username="gz_city"),
        )
    if plan.status == Plan.Status.SUBMITTED:
        plan_review(plan=plan, approve=True, comment="全市方案统筹有力，同意实施。", actor=officer)


# (city login, kind, title, month, day, place, participants, description): 广州 a 示范活动 and a
# 学子归巢; 东莞 a 示范活动; 梅州 none yet (its home page asks for one).
CITY_ACTIVITIES = (
    (
        "gz_city",
        "demo",
        "广州市“返家乡”青年人才回流示范活动",
        7,
        20,
        "广州市青年文化宫",
        120,
        "市团委联合市人社局举办示范活动，组织各区返乡实践大学生参访重点产业园区，"
        "邀请优秀青年企业家分享返乡创业经历，发布本地企业定向招聘岗位 80 个。",
    ),
    (
        "gz_city",
        "homecoming",
        "广州学子归巢座谈会",
        1,
        25,
        "广州市团委会议室",
        45,
        "市团委邀请市领导和人社、科技等部门负责人，与回家过节的优秀大学生代表座谈，"
        "宣传家乡新发展新变化，宣讲本地人才政策。",
    ),
    (
        "dg_city",
        "demo",
        "东莞市镇街“返家乡”实践成果展示",
        8,
        28,
        "东莞市青少年活动中心",
        200,
        "各镇街团委展示暑期实践成果，评选优秀实践团队，推广虎门镇青年之家的岗前培训做法。",
    ),
)


def _city_activities(programme_year: ProgrammeYear) -> None:
    year = programme_year.year
    for login, kind, title, month, day, place, participants, description in CITY_ACTIVITIES:
        if CityActivity.objects.filter(programme_year=programme_year, title=title).exists():
            continue
        user = User.objects.get(username=login)
        city = Region.objects.get(level=Region.Level.CITY, staff__username=login)
        held_on = datetime.date(year + 1 if month < 4 else year, month, day)
        services.city_activity_save(
            programme_year=programme_year,
            city=city,
            fields={
                "kind": kind,
                "title": title,
                "held_on": min(held_on, timezone.localdate()),
                "place": place,
                "participants": participants,
                "description": description,
            },
            add_photos=[_photo(f"{title[:8]}.png", (190, 60, 30))],
            actor=user,
        )


def _scores(programme_year: ProgrammeYear, officer: User) -> None:
    if Publication.objects.filter(programme_year=programme_year).exists():
        return  # published: the scores are final
    if not Score.objects.filter(programme_year=programme_year).exists():
        services.scores_recompute(programme_year=programme_year, actor=officer)
    score = Score.objects.get(programme_year=programme_year, region__code=ADJUSTED_COUNTY)
    if not score.adjustment:
        services.score_adjust(
            score=score, adjustment=ADJUSTMENT, reason=ADJUSTMENT_REASON, actor=officer
        )


def _approved_case(programme_year: ProgrammeYear, officer: User) -> None:
    if TypicalCase.objects.filter(programme_year=programme_year, title=APPROVED_TITLE).exists():
        return
    case = services.case_submit(
        programme_year=programme_year,
        region=Region.objects.get(code=ADJUSTED_COUNTY),
        title=APPROVED_TITLE,
        body=APPROVED_BODY,
        photos=[
            _photo("集中交流.png", (200, 30, 40)),
            _photo("岗前培训.png", (30, 110, 190)),
        ],
        actor=User.objects.get(username="yuexiu"),
    )
    services.case_review(case=case, approve=True, comment=APPROVED_COMMENT, actor=officer)


def _submitted_case(programme_year: ProgrammeYear) -> None:
    if TypicalCase.objects.filter(programme_year=programme_year, title=SUBMITTED_TITLE).exists():
        return
    services.case_submit(
        programme_year=programme_year,
        university=University.objects.get(code="4144010558"),
        title=SUBMITTED_TITLE,
        body=SUBMITTED_BODY,
        photos=[_photo("学分认定.png", (40, 140, 70))],
        actor=User.objects.get(username="sysu_uni"),
    )


def _briefing(province: Region, officer: User) -> None:
    if Briefing.objects.filter(province=province, title=BRIEFING_TITLE).exists():
        return
    briefing = services.briefing_save(
        province=province, title=BRIEFING_TITLE, body=BRIEFING_BODY, actor=officer
    )
    services.briefing_publish(briefing=briefing, actor=officer)
