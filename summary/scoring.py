"""The score formula, in one place: the page, the export and the recomputation all read it.

A score is the sum of its parts. Each part is a ratio of two of the unit's figures, capped at 1,
times the part's weight, rounded to 0.1 (half up); the total is the sum of the rounded parts, so
the numbers on the page add up. Weights add up to 100.

County (县级团委, §四(二) “五个一”):
  报到人数达标 40  min(reported ÷ quota, 1)
  节点按时完成 30  milestones done on time ÷ milestones due (nothing due yet: full marks)
  实践完成率   20  completed placements ÷ all placements at the county's posts, dropped ones
                   included (dropping a placement must not raise the rate)
  联系台账     5   min(ledger entries ÷ quota, 1)
  返乡就业创业 5   min(verified registrations of the year ÷ RETURNS_TARGET, 1)

University (高校团委, §四(三)):
  参与人数     30  participants ÷ the most participants of any university of the province
  实践完成率   30  completed ÷ all placements of its students
  优秀率       20  rated 优秀 ÷ completed
  行前证明培训 20  placements (not dropped) whose student had both the school-performance
                   certificate and the safety training by the post's first day ÷ those placements
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

RETURNS_TARGET = 5  # verified return-home registrations a county needs for full marks
TENTH = Decimal("0.1")
ONE = Decimal(1)


def ratio(numerator: int, denominator: int, *, empty: Decimal = Decimal(0)) -> Decimal:
    """numerator ÷ denominator capped at 1; `empty` when there is nothing to divide by."""
    if not denominator:
        return empty
    return min(Decimal(numerator) / Decimal(denominator), ONE)


@dataclass(frozen=True)
class Part:
    key: str
    label: Promise
    weight: int
    rule: str | Promise  # how the part is computed, in the words the page shows
    numerator: str  # the figure above the line
    denominator: str  # the figure below it (or a constant's name, for the returns target)
    empty: Decimal = Decimal(0)  # the ratio when the denominator is 0
    target: Callable[[dict], int] | None = None  # a denominator that is not a figure

    def bottom(self, figures: dict) -> int:
        return self.target(figures) if self.target else int(figures.get(self.denominator, 0))

    def points(self, figures: dict) -> Decimal:
        share = ratio(int(figures.get(self.numerator, 0)), self.bottom(figures), empty=self.empty)
        return (share * self.weight).quantize(TENTH, rounding=ROUND_HALF_UP)

    def shown(self, figures: dict) -> str:
        """The two figures as the page shows them: "12 / 50"."""
        return f"{int(figures.get(self.numerator, 0))} / {self.bottom(figures)}"


COUNTY_PARTS: tuple[Part, ...] = (
    Part(
        "quota",
        _("报到人数达标"),
        40,
        _("本年度在本县报到的学生人数 ÷ 报到人数下限，最高计 1"),
        "reported",
        "quota",
        empty=ONE,
    ),
    Part(
        "milestones",
        _("节点按时完成"),
        30,
        _(
            "按时完成的工作节点 ÷ 已到期的工作节点（含延期后的日期；已豁免的不计；尚无到期节点计满分）"
        ),
        "milestones_on_time",
        "milestones_due",
        empty=ONE,
    ),
    Part(
        "completion",
        _("实践完成率"),
        20,
        _("期满鉴定完成的实践安排 ÷ 本县岗位的全部实践安排（中止的也计入分母）"),
        "completed",
        "placements",
    ),
    Part(
        "ledger",
        _("联系台账"),
        5,
        _("联系台账人数 ÷ 报到人数下限，最高计 1"),
        "ledger_entries",
        "quota",
        empty=ONE,
    ),
    Part(
        "returns",
        _("返乡就业创业"),
        5,
        format_lazy(_("本年度已核实的返乡就业创业登记 ÷ {}，最高计 1"), RETURNS_TARGET),
        "returns_verified",
        "returns_target",
        target=lambda figures: RETURNS_TARGET,
    ),
)

UNIVERSITY_PARTS: tuple[Part, ...] = (
    Part(
        "participants",
        _("参与人数"),
        30,
        _("本校参与实践的学生人数 ÷ 全省参与实践的学生最多的高校的人数"),
        "participants",
        "max_participants",
    ),
    Part(
        "completion",
        _("实践完成率"),
        30,
        _("本校学生期满鉴定完成的实践安排 ÷ 本校学生的全部实践安排（中止的也计入分母）"),
        "completed",
        "placements",
    ),
    Part(
        "excellent",
        _("优秀率"),
        20,
        _("鉴定为“优秀”的 ÷ 期满鉴定完成的"),
        "excellent",
        "completed",
    ),
    Part(
        "clearance",
        _("行前证明与培训"),
        20,
        _(
            "在岗位开始日期前（含当天）已开具在校表现证明并完成行前安全培训的实践安排 ÷ 未中止的实践安排"
        ),
        "cleared_on_time",
        "clearance_due",
    ),
)

PARTS = {"county": COUNTY_PARTS, "university": UNIVERSITY_PARTS}


def score_parts(kind: str, figures: dict) -> dict[str, Decimal]:
    return {part.key: part.points(figures) for part in PARTS[kind]}


def total(parts: dict[str, Decimal]) -> Decimal:
    return min(Decimal(100), sum(parts.values(), Decimal(0)))


def rows(kind: str, figures: dict, parts: dict) -> list[dict]:
    """Each part with its figures and points, for a score's page."""
    return [
        {
            "part": part,
            "figures": part.shown(figures),
            "points": Decimal(str(parts.get(part.key, 0))),
        }
        for part in PARTS[kind]
    ]
