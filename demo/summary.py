"""The demo's annual summary: the year's scoring rule (the defaults, saved by 团省委), 广州市's
plan approved, city activities (广州 and 东莞; 梅州 none yet), scores for the demo year's
counties, cities and universities (越秀区 with an adjustment), an approved typical case of 越秀区
and ones of 中山大学 and 广州市 waiting for review, each meeting the default case rule (800—1500
字, 5 photos of over 1 MB), and a published briefing. Idempotent: what exists is found by its
title and left alone, and scores are computed
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

五是成果转化见实效。实践结束前，区团委组织学生围绕社区治理、老城活化、青年就业等主题撰写调研报告，择优推荐给相关职能部门参考；区图书馆的实践学生策划的“家门口的阅读课”被纳入街道常态化服务项目，乡村振兴发展有限公司的实践学生协助整理的产品推介材料已在线上平台使用。

六是安全保障全覆盖。区团委与各用人单位逐一签订安全责任书，为实践学生购买意外伤害保险，明确每个岗位的带教老师和安全联系人；遇到高温、台风等天气，及时调整实践安排，全程未发生安全事故。

参与实践的同学说：“在家门口的岗位上，第一次真正了解了家乡的发展，也找到了毕业后的方向。”用人单位反映，返乡大学生专业基础好、学习能力强，给单位带来了新的思路和活力，希望每年都能接收实践学生。下一步，区团委将把实践岗位向重点企业和基层一线延伸，推动实践与就业创业服务有效衔接，让更多在外学子“回得来、留得住”。

七是宣传推广有声势。区团委在公众号开设“返家乡·越秀行”专栏，连续推出实践学生的岗位故事和心得体会，制作的短视频在网络平台获得广泛关注；积极参与“我和我的家乡”网络话题活动，让更多青年了解家乡、关注家乡。"""
APPROVED_COMMENT = "做法扎实、成效明显，拟在全省简报中刊发。"

SUBMITTED_TITLE = "中山大学：把返家乡实践写进第二课堂成绩单"
SUBMITTED_BODY = """学校团委将“返家乡”社会实践纳入“第二课堂”成绩单认定范围，寒暑假前通过推文、班团会和社团活动集中宣传动员，为报名学生开具在校表现证明，组织行前安全教育培训。

实践结束后，学校依据县级团委和用人单位的期满鉴定认定学分，并将实践经历和成果作为综合测评、评奖评优的重要依据。本年度暑期，学校学生在家乡县区参加政务实践、乡村振兴调研和公益服务，多名学生的调研报告被当地采纳。

一是动员覆盖全面。学校团委在放假前一个月发布“返家乡”社会实践通知，通过学院团委、班团支部逐级传达，利用公众号推文、班团会和宿舍走访讲清岗位报名、双向选择和报到流程，确保有意愿的学生都能及时了解岗位信息、按时报名。

二是证明开具及时。学校依托系统为报名学生在线开具在校表现证明，学院团委逐一审核学生的在校表现，做到随报随审，不让学生因手续耽误报名和录用。

三是安全教育到位。学校组织行前安全教育培训，讲解交通、饮食、防暑、防溺水和防诈骗等注意事项，要求每名学生在出发前完成培训并在系统中确认，同时建立学院联系人制度，实践期间每周了解学生情况。

四是学分认定规范。学校根据县级团委和用人单位在系统中出具的期满鉴定，结合实践时长和评价等次认定第二课堂学分，认定结果导入第二课堂成绩单；对评价优秀的学生，在综合测评和评奖评优中予以体现。

五是成果交流充分。开学后，学校举办“返家乡”实践分享会，邀请优秀学生代表讲述在家乡政务服务、乡村振兴和公益服务岗位上的收获，并将优秀调研报告汇编成册，推荐给学生家乡的县级团委和有关部门参考，进一步激发学生关注家乡、服务家乡的热情。

下一步，学校将深化与学生家乡县级团委的合作，共同开发更多专业对口的实践岗位，推动实践育人与就业引导相结合。

六是家校地协同。学校与学生家乡的县级团委保持联系，及时掌握学生报名、录用、报到和期满鉴定情况；对家庭经济困难的学生，学院给予交通补助，确保每一名有意愿的学生都能顺利回到家乡参加实践。"""

CITY_TITLE = "广州市：市区两级联动推进“返家乡”社会实践"
CITY_BODY = """今年以来，广州市团委统筹全市各区团委，把“返家乡”社会实践作为联系服务在外求学青年的重要抓手，市区两级联动，推动岗位开发、对接选拔、过程管理和总结宣传各环节落实落细。

一是统筹部署早。市团委在3月底前印发全市实施方案，明确各区岗位开发数量、报到人数和时间节点，把县级团委入驻系统、发布岗位、完成对接等任务分解到区，按月调度进度，对进度滞后的区及时提醒督促。

二是岗位质量高。市团委协调市直有关部门、国有企业和重点产业园区，为各区提供一批专业对口的实践岗位；各区团委结合本地实际开发政务实践、乡村振兴、企业实践、公益服务、社区服务等岗位，越秀区、天河区的岗位在寒暑假前均按时发布。

三是对接选拔实。各区团委依托系统组织双向选择，用人单位对报名学生排序，区团委发出录用，学生在线确认；市团委定期查看各区报名、录用和报到情况，对报名不足的岗位指导各区通过大学生成长促进会、中学校友群等渠道扩大宣传。

四是过程管理严。市团委要求各区落实岗前培训、安全教育和带教老师制度，实践期间通过系统查看学生报到和实践日志填写情况，组织抽查走访实践岗位，及时协调解决学生和用人单位反映的问题。

五是联系服务暖。各区团委把参加实践的学生全部纳入联系台账，常态化推送家乡发展动态、人才政策和就业信息；市团委组织优秀实践学生参加青年人才交流活动，帮助他们了解广州产业发展和就业创业政策。

六是总结宣传好。市团委及时汇总各区工作进展，以简报、简讯形式向团省委报告，挖掘一批典型案例和优秀学生代表，通过新媒体平台广泛宣传，营造在外学子关注家乡、回报家乡的良好氛围。

下一步，市团委将继续加强统筹指导，推动各区把“返家乡”社会实践与青年就业创业服务、联系台账常态化工作结合起来，形成长效机制。

七是数据调度准。市团委每周汇总各区岗位发布、报名录用、报到和期满鉴定数据，对照时间节点逐区通报进度，对县级团委报到人数不足的情况提前预警，指导相关区及时开展补录，确保全年工作任务按期完成。"""

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


def padded_png(size: int, rgb: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A valid PNG of exactly `size` bytes: the small picture above with an ancillary private
    chunk (`fjXp`, which viewers skip) of padding before its end, like a camera's photo that
    carries a large block of metadata."""
    image = png(rgb=rgb)
    end = image.rindex(b"IEND") - 4  # the IEND chunk starts with its length
    padding = size - len(image) - 12  # length, type and CRC of the padding chunk
    if padding < 0:
        raise ValueError(f"a PNG cannot be smaller than {len(image) + 12} bytes")
    data = bytes(padding)
    chunk = (
        struct.pack(">I", padding)
        + b"fjXp"
        + data
        + struct.pack(">I", zlib.crc32(b"fjXp" + data) & 0xFFFFFFFF)
    )
    return image[:end] + chunk + image[end:]


PHOTO_SIZE = 1024 * 1024 + 40 * 1024  # a little over the 1 MB each photo of a case needs
COLOURS = ((200, 30, 40), (30, 110, 190), (40, 140, 70), (230, 150, 30), (120, 60, 160))


def _photo(name: str, rgb: tuple[int, int, int]) -> ContentFile:
    return ContentFile(padded_png(PHOTO_SIZE, rgb=rgb), name=name)


def _photos(names: tuple[str, ...]) -> list[ContentFile]:
    return [_photo(name, COLOURS[n % len(COLOURS)]) for n, name in enumerate(names)]


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
    _city_case(programme_year)
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
        photos=_photos(
            ("集中交流.png", "岗前培训.png", "岗位走访.png", "参访园区.png", "座谈会.png")
        ),
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
        photos=_photos(
            ("动员会.png", "安全培训.png", "学分认定.png", "分享会.png", "调研成果.png")
        ),
        actor=User.objects.get(username="sysu_uni"),
    )


def _city_case(programme_year: ProgrammeYear) -> None:
    if TypicalCase.objects.filter(programme_year=programme_year, title=CITY_TITLE).exists():
        return
    services.case_submit(
        programme_year=programme_year,
        region=Region.objects.get(code="440100"),
        title=CITY_TITLE,
        body=CITY_BODY,
        photos=_photos(
            ("调度会.png", "岗位发布.png", "走访岗位.png", "人才交流.png", "总结会.png")
        ),
        actor=User.objects.get(username="gz_city"),
    )


def _briefing(province: Region, officer: User) -> None:
    if Briefing.objects.filter(province=province, title=BRIEFING_TITLE).exists():
        return
    briefing = services.briefing_save(
        province=province, title=BRIEFING_TITLE, body=BRIEFING_BODY, actor=officer
    )
    services.briefing_publish(briefing=briefing, actor=officer)
