"""The score formula, in one place: the page, the export and the recomputation all read it.

A score is the sum of its parts. Each part is a ratio of two numbers, capped at 1, times the
part's weight, rounded to 0.1 (half up); the total is the sum of the rounded parts, so the
numbers on the page add up. The numerator is always one of the unit's figures
(summary/figures.py); the denominator is another figure or a target the province sets.

The province sets each part's weight and target per programme year (summary.ScoringRule, the
评分规则 page); a year without a rule is scored by the defaults below, each with its reason from
the notice (seed 000). A score keeps the weights and targets it was computed with
(figures["rule"]), so its page explains it even after the rule is changed.

County (县级团委): one part per task of the 五个一 (§四(二)) and the calendar (§五).
City (市级团委, §四(一)): its counties' results, its own plan, its 示范活动.
University (高校团委, §四(三)): 宣传动员, 在校表现证明与行前安全教育, 学分认定.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TENTH = Decimal("0.1")
ONE = Decimal(1)
FULL_MARKS = 100


def ratio(numerator: Decimal, denominator: Decimal, *, empty: Decimal = Decimal(0)) -> Decimal:
    """numerator ÷ denominator capped at 1; `empty` when there is nothing to divide by."""
    if not denominator:
        return empty
    return min(numerator / denominator, ONE)


def number(value) -> Decimal:
    return Decimal(str(value or 0))


def plain(value: Decimal) -> str:
    """12 for 12.0, 523.5 for 523.5."""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@dataclass(frozen=True)
class Part:
    """A part of the formula. `rule` says how it is computed, with %(target)s where the rule's
    target goes; `denominator` is a figure's name, or None when the rule's target divides."""

    key: str
    label: Promise
    rule: Promise
    numerator: str
    denominator: str | None
    weight: int  # the default weight
    target: int | None = None  # the default target (parts whose denominator is None)
    reason: Promise | str = ""  # why the default, from the notice
    empty: Decimal = Decimal(0)  # the ratio when the denominator is 0

    @property
    def has_target(self) -> bool:
        return self.denominator is None


@dataclass(frozen=True)
class Ruled:
    """A part with the weight and target of one year's rule."""

    part: Part
    weight: int
    target: int | None

    @property
    def key(self) -> str:
        return self.part.key

    @property
    def label(self) -> Promise:
        return self.part.label

    @property
    def rule(self) -> str:
        return str(self.part.rule) % {"target": self.target}

    def bottom(self, figures: dict) -> Decimal:
        if self.part.denominator is None:
            return number(self.target)
        return number(figures.get(self.part.denominator))

    def top(self, figures: dict) -> Decimal:
        return number(figures.get(self.part.numerator))

    def points(self, figures: dict) -> Decimal:
        share = ratio(self.top(figures), self.bottom(figures), empty=self.part.empty)
        return (share * self.weight).quantize(TENTH, rounding=ROUND_HALF_UP)

    def shown(self, figures: dict) -> str:
        """The two numbers as the page shows them: "12 / 50"."""
        return f"{plain(self.top(figures))} / {plain(self.bottom(figures))}"


COUNTY_PARTS: tuple[Part, ...] = (
    Part(
        "posts",
        _("岗位与报到"),
        _("本年度在本县岗位报到的学生人数 ÷ 本县报到人数下限（活动年度设置），最高计 1"),
        "reported",
        "quota",
        weight=30,
        reason=_(
            "“开发一批实践岗位”：每个县（市、区）参与实践的学生报到人数不少于 50 人；"
            "下限即活动年度设置的每县报到人数（默认 50 人），在工作日程中修改。"
        ),
        empty=ONE,
    ),
    Part(
        "exchange",
        _("集中交流"),
        _("本年度已举办的集中交流活动场次 ÷ %(target)s，最高计 1"),
        "exchanges",
        None,
        weight=15,
        target=1,
        reason=_("“开展一次集中交流”：举办一次即得满分。"),
    ),
    Part(
        "channels",
        _("联系机制"),
        _("联系渠道（有成员的）覆盖的在外学子人数 ÷ %(target)s，最高计 1"),
        "channel_members",
        None,
        weight=15,
        target=50,
        reason=_(
            "“建立一套联系机制，直接紧密联系一批在外高校学子”：按渠道实际联系到的人数计；"
            "通知未定人数，默认与报到人数下限相同（50 人）。"
        ),
    ),
    Part(
        "ledger",
        _("联系台账"),
        _("台账中本年度有联系记录的人数 ÷ %(target)s，最高计 1"),
        "ledger_contacted",
        None,
        weight=15,
        target=50,
        reason=_(
            "“建立一本联系台账”，为有针对性开展人才工作建立基础：只记人数而从未联系的台账不计，"
            "按本年度有联系记录的人数计；默认与报到人数下限相同（50 人）。"
        ),
    ),
    Part(
        "returns",
        _("返乡就业"),
        _("本年度已核实的返乡就业创业登记 ÷ %(target)s，最高计 1"),
        "returns_verified",
        None,
        weight=15,
        target=3,
        reason=_(
            "“落实一批返乡就业”：通知未定人数；默认每县 3 人（经团组织对接、已核实的登记），"
            "团省委可按年度调整。"
        ),
    ),
    Part(
        "milestones",
        _("节点按时完成"),
        _(
            "按时完成的工作节点 ÷ 已到期的工作节点（含延期后的日期；已豁免的不计；"
            "尚无到期节点计满分）"
        ),
        "milestones_on_time",
        "milestones_due",
        weight=10,
        reason=_("“各级团组织要严格按照时间安排，分阶段、常态化组织推进”（§五）。"),
        empty=ONE,
    ),
)

CITY_PARTS: tuple[Part, ...] = (
    Part(
        "counties",
        _("所辖县（市、区）成绩"),
        _("所辖各县（市、区）计算得分之和 ÷（100 × 县数），即平均分 ÷ 100"),
        "county_points",
        "county_points_max",
        weight=60,
        reason=_("“指导督促各县（市、区）……确保各项任务落地落实”：以所辖各县的平均分计。"),
    ),
    Part(
        "plan",
        _("全市实施方案"),
        _("（按时报送 1 + 团省委审核通过 1）÷ 2"),
        "plan_points",
        "plan_points_max",
        weight=20,
        reason=_("“制定全市实施方案”，3 月 31 日前报团省委。"),
    ),
    Part(
        "activities",
        _("示范活动"),
        _("本年度登记的示范活动场次 ÷ %(target)s，最高计 1"),
        "demonstrations",
        None,
        weight=20,
        target=1,
        reason=_(
            "“打造特色品牌，开展示范活动”：至少一场。学子归巢等其他市级活动登记备查，不计分。"
        ),
    ),
)

UNIVERSITY_PARTS: tuple[Part, ...] = (
    Part(
        "reach",
        _("宣传动员"),
        _("本年度报名实践的本校学生人数 ÷ %(target)s，最高计 1"),
        "applicants",
        None,
        weight=40,
        target=50,
        reason=_("“广泛发动学生参与报名”：按报名人数计；默认 50 人，团省委可按年度调整。"),
    ),
    Part(
        "clearance",
        _("在校表现证明与行前安全教育"),
        _(
            "在岗位开始日期前（含当天）已开具在校表现证明并完成行前安全教育的实践安排"
            " ÷ 未中止的实践安排"
        ),
        "cleared_on_time",
        "clearance_due",
        weight=30,
        reason=_("“做好行前安全教育培训、开具学生在校表现证明等工作”。"),
    ),
    Part(
        "credits",
        _("学分认定"),
        _(
            "按本校设定的学分认定规则获得第二课堂学分的期满实践 ÷ 本校学生期满鉴定完成的实践"
            "（未设定本校规则的不计）"
        ),
        "credited",
        "completed",
        weight=30,
        reason=_(
            "“将返家乡活动纳入第二课堂成绩单认定范围”：高校在学分页面设定本校规则即为认定；"
            "系统默认规则未经高校确认，不计。"
        ),
    ),
)

PARTS: dict[str, tuple[Part, ...]] = {
    "county": COUNTY_PARTS,
    "city": CITY_PARTS,
    "university": UNIVERSITY_PARTS,
}


def default_parts(kind: str) -> dict:
    """The rule's stored form for the defaults: {key: {"weight": w, "target": t}}."""
    return {p.key: {"weight": p.weight, "target": p.target} for p in PARTS[kind]}


def ruled(kind: str, stored: dict | None = None) -> tuple[Ruled, ...]:
    """The kind's parts with a stored rule's weights and targets (defaults where it is silent)."""
    stored = stored or {}
    result = []
    for part in PARTS[kind]:
        setting = stored.get(part.key) or {}
        weight = setting.get("weight", part.weight)
        target = setting.get("target", part.target) if part.has_target else None
        result.append(Ruled(part, int(weight), None if target is None else int(target)))
    return tuple(result)


def stored(parts: tuple[Ruled, ...]) -> dict:
    return {p.key: {"weight": p.weight, "target": p.target} for p in parts}


def score_parts(parts: tuple[Ruled, ...], figures: dict) -> dict[str, Decimal]:
    return {part.key: part.points(figures) for part in parts}


def total(parts: dict[str, Decimal]) -> Decimal:
    return min(Decimal(FULL_MARKS), sum(parts.values(), Decimal(0)))


def rows(kind: str, figures: dict, parts: dict) -> list[dict]:
    """Each part with its figures and points, for a score's page: by the weights and targets
    the score was computed with."""
    return [
        {
            "part": part,
            "figures": part.shown(figures),
            "points": Decimal(str(parts.get(part.key, 0))),
        }
        for part in ruled(kind, figures.get("rule"))
    ]
