"""Demo 实践总结 (issue 18), written through the students' own service: in each demo county the
past season's first student handed one in with two photos and agreed to its use in a typical
case, the second attached a report and did not; 天河区's reported student wrote one before the
期满鉴定 (tianhe_host reads it on the post's page), and 越秀区's student at 北京大学 wrote one
that pku reads beside the credit. The others have not: their home page reminds them."""

from django.core.files.base import ContentFile

from demo.schedule import PDF
from demo.summary import png
from outcomes.models import Outcome
from outcomes.services import outcome_save
from students.models import Placement

TEXT = (
    "暑假回到家乡，我在{unit}参加了“返家乡”社会实践，岗位是{post}。"
    "第一周跟着带教老师熟悉工作流程，整理档案、接待群众，学会了怎样把一件事讲清楚、办明白。"
    "第二周参与了走访调研，到村里和社区了解产业发展和群众需求，把听到的情况整理成材料，"
    "提出了几条改进建议，其中关于线上预约和志愿服务排班的建议被单位采纳。"
    "这段经历让我看到家乡这几年的变化，也看到基层工作者的辛苦和担当。"
    "我学会了在真实的工作中运用专业知识，学会了和不同年龄、不同身份的人沟通，"
    "也更清楚自己毕业后想做什么。以后我会继续关注家乡发展，利用假期带更多同学回来，"
    "把在学校学到的本领用在家乡建设上，为家乡的高质量发展出一份力。"
    "感谢{unit}的老师们耐心指导，也感谢县团委搭建这样的平台，让我们有机会读懂家乡、服务家乡。"
)
# (login, photos, report, consent)
WRITERS: list[tuple[str, int, bool, bool]] = [
    ("{prefix}_s1", 2, False, True),
    ("{prefix}_s2", 0, True, False),
]
EXTRA: list[tuple[str, int, bool, bool]] = [
    ("tianhe_s3", 1, False, True),
    ("yuexiu_pku", 1, True, True),
]


def seed_outcomes(prefixes: list[str]) -> None:
    writers = [
        (login.format(prefix=prefix), photos, report, consent)
        for prefix in prefixes
        for login, photos, report, consent in WRITERS
    ] + EXTRA
    for username, photos, report, consent in writers:
        placement = (
            Placement.objects.filter(
                student__user__username=username, status__in=("reported", "completed")
            )
            .select_related("student__user", "post__host_unit")
            .order_by("pk")
            .first()
        )
        if placement is None or Outcome.objects.filter(placement=placement).exists():
            continue
        post = placement.post
        outcome_save(
            placement=placement,
            text=TEXT.format(unit=post.host_unit.name, post=post.title),
            add_photos=[
                ContentFile(png(rgb=(200, 30 + 60 * n, 40)), name=f"实践照片{n + 1}.png")
                for n in range(photos)
            ],
            report=ContentFile(PDF, name="实践报告.pdf") if report else None,
            consent=consent,
            actor=placement.student.user,
        )
